package org.prostateed.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.prostateed.handout.HandoutRenderer;

/**
 * The clinician web app as a servlet a host mounts at a path of its choosing ({@code /app/*} in
 * the embedded server): static files from the jar, each served with a strict
 * Content-Security-Policy (no inline script or style, no third-party origin); {@code config}
 * telling the app its mode and FHIR base; {@code launch} the SMART EHR launch. The pages link
 * their files relative to the mount point, so the bare mount path is redirected to it with a slash.
 */
public final class AppServlet extends HttpServlet {

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png");
  private static final Set<String> FILE = TYPES.keySet();

  private final byte[] config;
  private final String contentSecurityPolicy;

  /**
   * @param settings what the app is told through {@code config}
   * @param json writes {@code config}
   */
  public AppServlet(AppSettings settings, ObjectMapper json) throws IOException {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("demo", settings.demo());
    values.put("practitioner", settings.demo() ? "Practitioner/demo-practitioner" : null);
    values.put("smartClientId", settings.smartClientId());
    values.put("smartScopes", settings.smartScopes());
    values.put("fhirBase", settings.fhirBase());
    this.config = json.writeValueAsBytes(values);
    String others = settings.connectOrigins().isBlank() ? "" : " " + settings.connectOrigins();
    // The handout preview (an iframe srcdoc) inherits this policy: its one inline style is allowed
    // by hash. The EHR may frame the app, as SMART EHR launches often do.
    this.contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' "
        + HandoutRenderer.styleSource() + "; img-src 'self' data:; connect-src 'self'" + others
        + "; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'" + others;
  }

  /**
   * What the app needs to know about where it runs.
   *
   * @param demo demo mode: the demo practitioner, and encounters opened without a SMART launch
   * @param fhirBase the FHIR base the app calls when not launched by an EHR, e.g. {@code /fhir}
   * @param connectOrigins origins besides this server the app may call (an EHR's FHIR and
   *     authorisation servers), space-separated, e.g. {@code https://ehr.example}
   */
  public record AppSettings(boolean demo, String smartClientId, String smartScopes, String fhirBase,
      String connectOrigins) {

    /** The client id the app registers with an EHR's authorisation server unless the host sets another. */
    public static final String SMART_CLIENT_ID = "prostate-education";

    /** What the app asks at a SMART launch: it reads the chart and writes the response and the records of a give. */
    /**
     * SMART App Launch 2 scopes: what the app reads, and what it writes (the response, the handout
     * given, the teach-back). Where the EHR does not announce {@code permission-v2}, the app asks
     * the v1 scopes these map to ({@code .rs} to {@code .read}, any of {@code c}, {@code u},
     * {@code d} to {@code .write}).
     */
    public static final String SMART_SCOPES = "launch openid fhirUser"
        + " patient/Patient.rs patient/Encounter.rs patient/Condition.rs patient/Observation.rs"
        + " patient/MedicationRequest.rs patient/MedicationStatement.rs patient/AllergyIntolerance.rs"
        + " patient/Procedure.rs patient/QuestionnaireResponse.rs patient/DocumentReference.rs patient/Task.rs"
        + " user/Questionnaire.rs user/Practitioner.rs"
        + " user/QuestionnaireResponse.cu user/DocumentReference.cu user/Observation.cu";
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo();
    if (path == null) {
      String query = request.getQueryString();
      response.sendRedirect(request.getRequestURI() + "/" + (query == null ? "" : "?" + query));
      return;
    }
    switch (path) {
      case "/" -> file(response, "index.html");
      case "/launch" -> file(response, "launch.html");
      case "/config" -> ServletAnswers.send(response, 200, "application/json", config);
      default -> file(response, path.substring(1));
    }
  }

  private void file(HttpServletResponse response, String name) throws IOException {
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1);
    if (!name.matches("[a-z0-9-]{1,40}\\.[a-z]{2,4}") || !FILE.contains(extension)) {
      ServletAnswers.text(response, 404, "not found");
      return;
    }
    byte[] body;
    try (InputStream in = AppServlet.class.getClassLoader().getResourceAsStream("app/" + name)) {
      if (in == null) {
        ServletAnswers.text(response, 404, "not found");
        return;
      }
      body = in.readAllBytes();
    }
    response.setHeader("Content-Security-Policy", contentSecurityPolicy);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cache-Control", "no-store");
    ServletAnswers.send(response, 200, TYPES.get(extension), body);
  }
}
