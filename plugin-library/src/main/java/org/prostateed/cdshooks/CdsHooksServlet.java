package org.prostateed.cdshooks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.prostateed.cdshooks.json.CdsRequestJson;
import org.prostateed.cdshooks.json.CdsResponseJson;
import org.prostateed.cdshooks.json.FeedbackJson;
import org.prostateed.web.ServletAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CDS Hooks HTTP edge, a servlet a host mounts at a path of its choosing ({@code /cds-services/*}
 * in the embedded server): {@code GET} on the mount point is the discovery, {@code POST {id}} a
 * service call, {@code POST {id}/feedback} its feedback. It parses, checks the EHR's JWT, calls
 * {@link EducationHooks} once and maps the result. Any JWT failure is a bare 401; missing data is a
 * 412; a malformed call is a 400; a request over {@link #MAX_REQUEST_BYTES} is a 413; a store that
 * cannot be reached is a 503. Requests, tokens and patient data are never logged.
 */
public final class CdsHooksServlet extends HttpServlet {

  private static final Logger log = LoggerFactory.getLogger(CdsHooksServlet.class);
  private static final String JSON = "application/json";

  /** The largest CDS request read; a prefetch of a long chart stays far below it. */
  static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;

  private final transient EducationHooks hooks;
  private final transient ObjectMapper json;
  private final transient ObjectReader requests;
  private final transient ObjectReader feedback;
  private final transient ObjectWriter responses;
  private final transient Optional<CdsJwtVerifier> verifier;
  private final String publicUrl;

  /**
   * @param verifier empty only when verification was switched off explicitly (demo)
   * @param publicUrl the discovery URL as EHRs call it (behind a proxy), which with the service id
   *     is the JWT's audience; empty: the URL of the request as it arrived
   */
  public CdsHooksServlet(EducationHooks hooks, ObjectMapper json, Optional<CdsJwtVerifier> verifier,
      Optional<String> publicUrl) {
    this.hooks = hooks;
    this.json = json;
    ObjectMapper limited = json.copyWith(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(MAX_REQUEST_BYTES).build())
        .build());
    this.requests = limited.readerFor(CdsRequestJson.class);
    this.feedback = limited.readerFor(FeedbackJson.class);
    this.responses = json.writerFor(CdsResponseJson.class);
    this.verifier = verifier;
    this.publicUrl = publicUrl.map(CdsHooksServlet::withoutTrailingSlash).orElse(null);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo();
    if (path == null || path.equals("/")) {
      ServletAnswers.send(response, 200, JSON, json.writeValueAsBytes(hooks.discovery()));
    } else {
      ServletAnswers.error(response, json, 405, "a CDS service is called with POST");
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
    boolean isFeedback = parts.length == 2 && parts[1].equals("feedback");
    if (parts.length == 0 || parts.length > 2 || parts.length == 2 && !isFeedback) {
      ServletAnswers.error(response, json, 404, "no such CDS Hooks endpoint");
      return;
    }
    String id = parts[0];
    if (!hooks.knows(id)) {
      ServletAnswers.error(response, json, 404, "no CDS service '" + id + "'");
      return;
    }
    Optional<Boolean> systemActions = client(request.getHeader("Authorization"), serviceUrl(request, id));
    if (systemActions.isEmpty()) {
      response.setStatus(401);
      return;
    }
    try {
      if (isFeedback) {
        feedback(request, response, id);
      } else {
        call(request, response, id, systemActions.get());
      }
    } catch (RuntimeException e) {
      if (!ServletAnswers.outage(response, json, e)) {
        throw e;
      }
    }
  }

  private void call(HttpServletRequest request, HttpServletResponse response, String id, boolean systemActions)
      throws IOException {
    CdsRequestJson call;
    try {
      // Read from the stream, only once the caller is trusted: Jackson's UTF-8 parser, and no copy
      // of a prefetch-sized body.
      call = requests.readValue(request.getInputStream());
    } catch (IOException e) {
      unreadable(response, e, "the body is not a CDS Hooks request");
      return;
    }
    try {
      ServletAnswers.send(response, 200, JSON, responses.writeValueAsBytes(hooks.call(id, call, systemActions)));
    } catch (EducationHooks.PrefetchUnavailable e) {
      log.info("CDS service {}: 412 ({})", id, e.getMessage());
      ServletAnswers.error(response, json, 412, e.getMessage());
    } catch (EducationHooks.BadHookRequest e) {
      ServletAnswers.error(response, json, 400, e.getMessage());
    }
  }

  private void feedback(HttpServletRequest request, HttpServletResponse response, String id) throws IOException {
    FeedbackJson items;
    try {
      items = feedback.readValue(request.getInputStream());
    } catch (IOException e) {
      unreadable(response, e, "the body is not CDS Hooks feedback");
      return;
    }
    try {
      int recorded = hooks.feedback(id, items);
      log.info("CDS service {}: {} feedback item(s) recorded", id, recorded);
      response.setStatus(200);
    } catch (EducationHooks.BadHookRequest e) {
      ServletAnswers.error(response, json, 400, e.getMessage());
    }
  }

  private void unreadable(HttpServletResponse response, IOException failure, String message) throws IOException {
    if (tooLarge(failure)) {
      ServletAnswers.error(response, json, 413, "the request is larger than " + MAX_REQUEST_BYTES / (1024 * 1024) + " MiB");
    } else {
      ServletAnswers.error(response, json, 400, message);
    }
  }

  /** Jackson may wrap the parser's limit in a mapping exception, with the path where it stopped. */
  private static boolean tooLarge(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StreamConstraintsException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the calling client applies system actions, or empty when it is not trusted. Without
   * verification (demo only) every caller gets suggestions.
   */
  private Optional<Boolean> client(String authorization, String serviceUrl) {
    return verifier.isEmpty() ? Optional.of(false)
        : verifier.get().client(authorization, serviceUrl).map(JwtSettings.TrustedIssuer::systemActions);
  }

  /** The exact service URL the EHR called, which the JWT's {@code aud} must equal. */
  private String serviceUrl(HttpServletRequest request, String id) {
    if (publicUrl != null) {
      return publicUrl + "/" + id;
    }
    StringBuffer url = request.getRequestURL();
    String origin = url.substring(0, url.length() - request.getRequestURI().length());
    return origin + request.getContextPath() + request.getServletPath() + "/" + id;
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
