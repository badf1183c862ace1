package org.prostateed.fhir;

import java.util.List;

/**
 * Why the plugin will not do what was asked, in its own terms: the use cases throw it, and the
 * edge ({@link RequestProblems}) turns it into the HTTP status and OperationOutcome of a FHIR
 * answer, in one place.
 */
public final class RequestProblem extends RuntimeException {

  /** What kind of no it is. */
  public enum Kind {
    /** The request is malformed (400). */
    INVALID,
    /** Something the request names does not exist (404). */
    NOT_FOUND,
    /** The request conflicts with what the store holds: another patient's or encounter's (409). */
    CONFLICT,
    /** Well formed, but the rules do not allow it (422). */
    NOT_ALLOWED
  }

  private final Kind kind;
  private final List<String> messages;

  RequestProblem(Kind kind, List<String> messages) {
    super(String.join("; ", messages));
    this.kind = kind;
    this.messages = List.copyOf(messages);
  }

  public Kind kind() {
    return kind;
  }

  /** One message per problem, each an issue of the OperationOutcome. */
  public List<String> messages() {
    return messages;
  }
}
