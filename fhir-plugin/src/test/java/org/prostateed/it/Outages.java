package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.OperationOutcome;

/** What the fault suites expect of a FHIR answer while the store's database is down. */
final class Outages {

  private Outages() {}

  /** docs/operations.md, faults: "a clear 503 with Retry-After while it is down", with a transient OperationOutcome. */
  static void assertDatabaseUnreachable(FhirHttp.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(503);
    assertThat(reply.header("Retry-After")).isEqualTo("10");
    OperationOutcome outcome = reply.as(OperationOutcome.class);
    assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TRANSIENT);
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith("The FHIR store could not be reached");
  }
}
