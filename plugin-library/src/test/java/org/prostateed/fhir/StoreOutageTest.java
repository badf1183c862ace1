package org.prostateed.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.TransactionException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

/** docs/operations.md, faults: a store that is down answers "a clear 503 with Retry-After"; other failures keep their status. */
class StoreOutageTest {

  private static InternalErrorException wrapped(Throwable cause) {
    return new InternalErrorException("Failed to call access method", cause);
  }

  @Test
  void connectionFailuresOfTheDatabaseAndTheEhrAreOutages() {
    assertThat(StoreOutage.isOutage(wrapped(new SQLException("terminating connection", "57P01")))).isTrue();
    assertThat(StoreOutage.isOutage(wrapped(new SQLException("I/O error", "08006")))).isTrue();
    assertThat(StoreOutage.isOutage(wrapped(new SQLTransientConnectionException("pool timed out")))).isTrue();
    assertThat(StoreOutage.isOutage(wrapped(new TransactionException("Unable to rollback",
        new SQLException("Connection is closed"))))).isTrue();
    assertThat(StoreOutage.isOutage(new FhirClientConnectionException(new SocketTimeoutException("Read timed out"))))
        .isTrue();
    assertThat(StoreOutage.isOutage(wrapped(new UnclassifiedServerFailureException(503, "EHR overloaded")))).isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(StoreOutage.isOutage(wrapped(new SQLException("duplicate key", "23505")))).isFalse();
    assertThat(StoreOutage.isOutage(new ResourceVersionConflictException("raced"))).isFalse();
    assertThat(StoreOutage.isOutage(wrapped(new IllegalStateException("a bug")))).isFalse();
    assertThat(StoreOutage.isOutage(new InternalErrorException("EHR error 500"))).isFalse();
    assertThat(StoreOutage.isOutage(wrapped(new TransactionException("no JDBC cause")))).isFalse();
  }

  @Test
  void theAnswerIs503WithRetryAfterAndNamesNoUrlOrRecord() {
    BaseServerResponseException answer = StoreOutage.unavailable(new FhirClientConnectionException(
        "Failed to reach http://ehr.example/fhir/Patient/secret-patient-7", new SocketTimeoutException("Read timed out")));
    assertThat(answer.getStatusCode()).isEqualTo(503);
    assertThat(answer.getResponseHeaders().get("Retry-After")).containsExactly("10");
    OperationOutcome outcome = (OperationOutcome) answer.getOperationOutcome();
    assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TRANSIENT);
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith("The FHIR store did not answer in time")
        .doesNotContain("secret-patient-7").doesNotContain("ehr.example");
    assertThat(StoreOutage.unavailable(new SQLException("down", "08001")).getMessage())
        .startsWith("The FHIR store could not be reached");
  }

  @Test
  void theHookLeavesEveryOtherFailureToHapi() {
    SystemRequestDetails request = new SystemRequestDetails();
    assertThat(new StoreOutage().answerOutage(request, new ResourceVersionConflictException("raced"))).isNull();
    assertThat(new StoreOutage().answerOutage(request, wrapped(new SQLException("down", "08001"))).getStatusCode())
        .isEqualTo(503);
  }

  /** In a host server that is not ours, only the plugin's operations are answered this way. */
  @Test
  void scopedToOperationsItLeavesTheHostsOwnRequestsAlone() {
    StoreOutage scoped = StoreOutage.forOperations(EducationOperations.names());
    SystemRequestDetails give = new SystemRequestDetails();
    give.setOperation("$give-education");
    SystemRequestDetails hostOperation = new SystemRequestDetails();
    hostOperation.setOperation("$everything");
    SystemRequestDetails read = new SystemRequestDetails();

    assertThat(scoped.answerOutage(give, wrapped(new SQLException("down", "08001"))).getStatusCode())
        .isEqualTo(503);
    assertThat(scoped.answerOutage(hostOperation, wrapped(new SQLException("down", "08001")))).isNull();
    assertThat(scoped.answerOutage(read, wrapped(new SQLException("down", "08001")))).isNull();
    assertThat(scoped.answerOutage(give, new ResourceVersionConflictException("raced"))).isNull();
  }

  @Test
  void theOperationNamesAreThoseOfTheAnnotations() {
    assertThat(EducationOperations.names()).containsExactlyInAnyOrder("$populate", "$preview-education",
        "$record-teach-back", "$education", "$evaluate", "$give-education", "$render");
  }
}
