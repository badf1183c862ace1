package org.prostateed.server;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.prostateed.fhir.StoreOutage;

/** {@code GET /health}: 200 once the content is loaded and the FHIR store answers, 503 otherwise. */
@Path("/health")
public final class HealthResource {

  private final String contentSummary;
  private final BooleanSupplier storeAnswers;

  HealthResource(String contentSummary, BooleanSupplier storeAnswers) {
    this.contentSummary = contentSummary;
    this.storeAnswers = storeAnswers;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response health() {
    boolean store = storeAnswers.getAsBoolean();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", store ? "UP" : "DOWN");
    body.put("content", contentSummary);
    body.put("fhirStore", store ? "UP" : "DOWN");
    Response.ResponseBuilder answer = Response.status(store ? 200 : 503).entity(body);
    return (store ? answer : answer.header("Retry-After", StoreOutage.RETRY_AFTER_SECONDS)).build();
  }
}
