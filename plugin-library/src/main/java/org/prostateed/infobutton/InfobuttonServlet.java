package org.prostateed.infobutton;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prostateed.web.ServletAnswers;

/**
 * The HL7 URL-based Infobutton endpoint as a servlet a host mounts where it likes
 * ({@code /infobutton} in the embedded server): {@code GET} passes the query parameters (first
 * value of each) to {@link InfobuttonResponder} and answers what it returns.
 */
public final class InfobuttonServlet extends HttpServlet {

  private final transient InfobuttonResponder responder;

  public InfobuttonServlet(InfobuttonResponder responder) {
    this.responder = responder;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Map<String, String> first = new LinkedHashMap<>();
    request.getParameterMap().forEach((name, values) -> {
      if (values.length > 0) {
        first.put(name, values[0]);
      }
    });
    InfobuttonResponder.Response answer = responder.respond(first);
    ServletAnswers.send(response, answer.status(), answer.contentType(), answer.body().getBytes(StandardCharsets.UTF_8));
  }
}
