package org.prostateed.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The edge where a {@link RequestProblem} of the plugin becomes a FHIR answer: its status and an
 * OperationOutcome with one issue per problem. Registered on the HAPI server with the operations.
 */
@Interceptor
final class RequestProblems {

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException answer(Throwable failure) {
    return problem(failure).map(RequestProblems::toFhir).orElse(null);
  }

  static Optional<RequestProblem> problem(Throwable failure) {
    return Stream.iterate(failure, Objects::nonNull, Throwable::getCause).limit(20)
        .filter(RequestProblem.class::isInstance).map(RequestProblem.class::cast).findFirst();
  }

  static BaseServerResponseException toFhir(RequestProblem problem) {
    String message = problem.getMessage();
    return switch (problem.kind()) {
      case INVALID -> new InvalidRequestException(message, outcome(IssueType.INVALID, problem));
      case NOT_FOUND -> new ResourceNotFoundException(message, outcome(IssueType.NOTFOUND, problem));
      case CONFLICT -> new ResourceVersionConflictException(message, outcome(IssueType.CONFLICT, problem));
      case NOT_ALLOWED -> new UnprocessableEntityException(message, outcome(IssueType.BUSINESSRULE, problem));
    };
  }

  private static OperationOutcome outcome(IssueType type, RequestProblem problem) {
    return Outcomes.outcome(type, problem.messages());
  }
}
