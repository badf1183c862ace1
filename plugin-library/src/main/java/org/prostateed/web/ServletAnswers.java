package org.prostateed.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.prostateed.fhir.StoreOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the plugin's servlets answer: a status with exactly the body given (never the container's
 * error page, so a bare 401 stays bare), JSON errors as {@code {"error": "..."}}, and a store that
 * cannot be reached as 503 with {@code Retry-After} in the words the FHIR endpoints use.
 */
public final class ServletAnswers {

  private static final Logger log = LoggerFactory.getLogger(ServletAnswers.class);

  private ServletAnswers() {}

  public static void send(HttpServletResponse response, int status, String contentType, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  public static void text(HttpServletResponse response, int status, String message) throws IOException {
    send(response, status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
  }

  public static void error(HttpServletResponse response, ObjectMapper json, int status, String message)
      throws IOException {
    send(response, status, "application/json", jsonBytes(json, Map.of("error", message)));
  }

  /**
   * ServletAnswers 503 when {@code failure} is a store outage ({@link StoreOutage#isOutage}) and returns
   * true; any other failure is left to the container (a 500), with only its cause names logged.
   */
  public static boolean outage(HttpServletResponse response, ObjectMapper json, RuntimeException failure)
      throws IOException {
    if (!StoreOutage.isOutage(failure)) {
      log.error("unexpected failure: {}", StoreOutage.causeNames(failure));
      return false;
    }
    log.warn("FHIR store unavailable, answering 503: {}", StoreOutage.causeNames(failure));
    response.setHeader("Retry-After", String.valueOf(StoreOutage.RETRY_AFTER_SECONDS));
    error(response, json, 503, StoreOutage.unavailable(failure).getMessage());
    return true;
  }

  private static byte[] jsonBytes(ObjectMapper json, Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }
}
