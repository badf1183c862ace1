package org.prostateed.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** The 4xx answers of the plugin, each carrying an OperationOutcome with one issue per problem. */
final class Outcomes {

  private Outcomes() {}

  static OperationOutcome outcome(IssueType type, List<String> messages) {
    OperationOutcome outcome = new OperationOutcome();
    for (String message : messages) {
      outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(message);
    }
    return outcome;
  }

  /** 400: the request itself is malformed. */
  static InvalidRequestException invalid(String message) {
    return new InvalidRequestException(message, outcome(IssueType.INVALID, List.of(message)));
  }

  /** 422: well formed, but the rules do not allow it. */
  static UnprocessableEntityException unprocessable(String message) {
    return unprocessable(List.of(message));
  }

  static UnprocessableEntityException unprocessable(List<String> messages) {
    return new UnprocessableEntityException(
        String.join("; ", messages), outcome(IssueType.BUSINESSRULE, messages));
  }

  /** 409: the request conflicts with what the store holds (another encounter or patient). */
  static ResourceVersionConflictException conflict(String message) {
    return new ResourceVersionConflictException(message, outcome(IssueType.CONFLICT, List.of(message)));
  }
}
