package org.prostateed.server;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.prostateed.fhir.StoreOutage;

/**
 * {@code GET /health}: 200 once the content is loaded and the FHIR store answers, 503 otherwise.
 * A monitor may send any Accept header: the answer is JSON, labelled {@code application/fhir+json}
 * when that is what the caller asked for, and never a 406.
 */
@Path("/health")
public final class HealthResource {

  private static final String FHIR_JSON = "application/fhir+json";

  private final String contentSummary;
  private final BooleanSupplier storeAnswers;

  HealthResource(String contentSummary, BooleanSupplier storeAnswers) {
    this.contentSummary = contentSummary;
    this.storeAnswers = storeAnswers;
  }

  @GET
  public Response health(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
    boolean store = storeAnswers.getAsBoolean();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", store ? "UP" : "DOWN");
    body.put("content", contentSummary);
    body.put("fhirStore", store ? "UP" : "DOWN");
    Response.ResponseBuilder answer = Response.status(store ? 200 : 503).entity(body).type(answerType(accept));
    return (store ? answer : answer.header("Retry-After", StoreOutage.RETRY_AFTER_SECONDS)).build();
  }

  private static String answerType(String accept) {
    boolean fhirJson = accept != null && accept.contains(FHIR_JSON) && !accept.contains(MediaType.APPLICATION_JSON);
    return fhirJson ? FHIR_JSON : MediaType.APPLICATION_JSON;
  }
}
