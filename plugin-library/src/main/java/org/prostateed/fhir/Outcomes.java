package org.prostateed.fhir;

import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** The problems the use cases raise ({@link RequestProblem}), and the OperationOutcome of each. */
final class Outcomes {

  private Outcomes() {}

  /** One error issue per message. */
  static OperationOutcome outcome(IssueType type, List<String> messages) {
    OperationOutcome outcome = new OperationOutcome();
    for (String message : messages) {
      outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(message);
    }
    return outcome;
  }

  /** The request itself is malformed. */
  static RequestProblem invalid(String message) {
    return new RequestProblem(RequestProblem.Kind.INVALID, List.of(message));
  }

  /** Well formed, but the rules do not allow it. */
  static RequestProblem unprocessable(String message) {
    return unprocessable(List.of(message));
  }

  static RequestProblem unprocessable(List<String> messages) {
    return new RequestProblem(RequestProblem.Kind.NOT_ALLOWED, messages);
  }

  /** The request conflicts with what the store holds (another encounter or patient). */
  static RequestProblem conflict(String message) {
    return new RequestProblem(RequestProblem.Kind.CONFLICT, List.of(message));
  }

  /** What the request names is not in the store. */
  static RequestProblem notFound(String message) {
    return new RequestProblem(RequestProblem.Kind.NOT_FOUND, List.of(message));
  }
}
