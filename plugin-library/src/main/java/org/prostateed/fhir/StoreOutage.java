package org.prostateed.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hibernate.TransactionException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a FHIR store that cannot be reached (its database down or restarting, the EHR's FHIR server
 * stopped or slower than the client timeout) from every other failure, and answers it with
 * {@code 503 Service Unavailable}, an OperationOutcome and {@code Retry-After} instead of a 500.
 * Registered on a HAPI {@code RestfulServer}, it does this for every request the server answers
 * ({@link #StoreOutage()}, the embedded server) or for the plugin's operations only
 * ({@link #forOperations}, a host server that is not ours keeps its own answers).
 */
@Interceptor
public final class StoreOutage {

  /** What {@code Retry-After} says: long enough for a database restart, short enough for a clinic. */
  public static final int RETRY_AFTER_SECONDS = 10;

  private static final Logger log = LoggerFactory.getLogger(StoreOutage.class);
  private static final int MAX_CAUSES = 20;
  /** Statuses an EHR's FHIR server (or its gateway) answers when it is down or overloaded. */
  private static final Set<Integer> UPSTREAM_UNAVAILABLE = Set.of(502, 503, 504);

  private final Predicate<RequestDetails> scope;

  /** Answers outages for every request of the server it is registered on. */
  public StoreOutage() {
    this(request -> true);
  }

  private StoreOutage(Predicate<RequestDetails> scope) {
    this.scope = scope;
  }

  /** Answers outages only for requests to the named operations ({@code $give-education}, ...). */
  public static StoreOutage forOperations(Set<String> operationNames) {
    Set<String> names = Set.copyOf(operationNames);
    // A request that is not an operation has none (and an immutable set refuses to look up null).
    return new StoreOutage(request -> request != null && request.getOperation() != null
        && names.contains(request.getOperation()));
  }

  /** True when the failure, or anything that caused it, is the store being unreachable. */
  public static boolean isOutage(Throwable failure) {
    return causes(failure).anyMatch(cause -> cause instanceof FhirClientConnectionException
        || cause instanceof SQLTransientConnectionException
        || cause instanceof SQLNonTransientConnectionException
        || cause instanceof SQLException sql && isConnectionState(sql.getSQLState())
        || cause instanceof TransactionException && cause.getCause() instanceof SQLException
        || cause instanceof BaseServerResponseException response
            && UPSTREAM_UNAVAILABLE.contains(response.getStatusCode()));
  }

  /** The failure and its causes, outermost first (a cyclic chain is cut off). */
  private static Stream<Throwable> causes(Throwable failure) {
    return Stream.iterate(failure, Objects::nonNull, Throwable::getCause).limit(MAX_CAUSES);
  }

  // A TransactionException caused by an SQLException is Hibernate failing to roll back or commit
  // over JDBC: the connection broke under the transaction (the pool reports it only as "closed").
  // Either way nothing half-written stays, and a repeated give is recorded at most once.

  /**
   * SQLSTATE class 08 is "connection exception"; 57P01 to 57P03 are PostgreSQL's "the server is
   * shutting down, crashed, or is not yet accepting connections".
   */
  private static boolean isConnectionState(String state) {
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  private static boolean timedOut(Throwable failure) {
    return causes(failure).anyMatch(SocketTimeoutException.class::isInstance);
  }

  /**
   * The answer for an outage. The message names no URL, query or record (the causes' messages can
   * carry them) and tells the caller that repeating a give is safe: a give is recorded at most once.
   */
  public static BaseServerResponseException unavailable(Throwable failure) {
    String message = "The FHIR store " + (timedOut(failure) ? "did not answer in time" : "could not be reached")
        + ". Nothing is lost by trying again in " + RETRY_AFTER_SECONDS + " seconds: a give that was under way"
        + " is recorded at most once, however often it is repeated.";
    UnclassifiedServerFailureException answer = new UnclassifiedServerFailureException(
        503, message, Outcomes.outcome(IssueType.TRANSIENT, List.of(message)));
    answer.addResponseHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    return answer;
  }

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException answerOutage(RequestDetails request, Throwable failure) {
    if (!scope.test(request) || !isOutage(failure)) {
      return null;
    }
    // The class names only: messages of connection failures can carry URLs with patient ids.
    log.warn("FHIR store unavailable, answering 503: {}", causeNames(failure));
    return unavailable(failure);
  }

  /** The failure's chain of causes by class name only, for logs. */
  public static String causeNames(Throwable failure) {
    return causes(failure).map(cause -> cause.getClass().getSimpleName()).collect(Collectors.joining(" <- "));
  }
}
