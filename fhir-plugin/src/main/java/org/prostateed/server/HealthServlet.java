package org.prostateed.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.prostateed.fhir.StoreOutage;
import org.prostateed.web.ServletAnswers;

/**
 * {@code GET /health}: 200 once the content is loaded and the FHIR store answers, 503 otherwise.
 * A monitor may send any Accept header: the answer is JSON, labelled {@code application/fhir+json}
 * when that is what the caller asked for, and never a 406.
 */
final class HealthServlet extends HttpServlet {

  private static final String FHIR_JSON = "application/fhir+json";
  private static final String JSON = "application/json";

  private final String contentSummary;
  private final transient BooleanSupplier storeAnswers;
  private final transient ObjectMapper json;

  HealthServlet(String contentSummary, BooleanSupplier storeAnswers, ObjectMapper json) {
    this.contentSummary = contentSummary;
    this.storeAnswers = storeAnswers;
    this.json = json;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    boolean store = storeAnswers.getAsBoolean();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", store ? "UP" : "DOWN");
    body.put("content", contentSummary);
    body.put("fhirStore", store ? "UP" : "DOWN");
    if (!store) {
      response.setHeader("Retry-After", String.valueOf(StoreOutage.RETRY_AFTER_SECONDS));
    }
    ServletAnswers.send(response, store ? 200 : 503, answerType(request.getHeader("Accept")),
        json.writeValueAsBytes(body));
  }

  private static String answerType(String accept) {
    boolean fhirJson = accept != null && accept.contains(FHIR_JSON) && !accept.contains(JSON);
    return fhirJson ? FHIR_JSON : JSON;
  }
}
