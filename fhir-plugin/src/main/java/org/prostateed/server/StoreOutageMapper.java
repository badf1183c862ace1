package org.prostateed.server;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import org.prostateed.fhir.StoreOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-FHIR endpoints' answer when the FHIR store cannot be reached: 503 with {@code Retry-After}
 * and the same words as the FHIR endpoints. Any other failure stays a 500.
 */
final class StoreOutageMapper implements ExceptionMapper<RuntimeException> {

  private static final Logger log = LoggerFactory.getLogger(StoreOutageMapper.class);

  @Override
  public Response toResponse(RuntimeException failure) {
    if (failure instanceof WebApplicationException answered) {
      return answered.getResponse();
    }
    if (!StoreOutage.isOutage(failure)) {
      log.error("unexpected failure: {}", StoreOutage.causeNames(failure));
      return Response.serverError().build();
    }
    log.warn("FHIR store unavailable, answering 503: {}", StoreOutage.causeNames(failure));
    return Response.status(503).type(MediaType.APPLICATION_JSON)
        .header("Retry-After", StoreOutage.RETRY_AFTER_SECONDS)
        .entity(Map.of("error", StoreOutage.unavailable(failure).getMessage()))
        .build();
  }
}
