package org.prostateed.server;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.prostateed.handout.HandoutRenderer;

/**
 * The clinician web app at {@code /app}: static files from the jar, each served with a strict
 * Content-Security-Policy (no inline script or style, no third-party origin), and
 * {@code /app/config} telling the app its mode. {@code /app/launch} is the SMART EHR launch.
 */
@Path("/app")
public final class AppResource {

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png");
  private static final Set<String> FILE = Set.of("html", "js", "css", "svg", "png");

  private final Map<String, Object> config;
  private final String contentSecurityPolicy;

  /**
   * @param connectOrigins origins besides this server the app may call (an EHR's FHIR and
   *     authorisation servers), e.g. {@code https://ehr.example}
   */
  AppResource(boolean demo, String smartClientId, String smartScopes, String connectOrigins) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("demo", demo);
    values.put("practitioner", demo ? "Practitioner/demo-practitioner" : null);
    values.put("smartClientId", smartClientId);
    values.put("smartScopes", smartScopes);
    values.put("fhirBase", "/fhir");
    this.config = values;
    String others = connectOrigins.isBlank() ? "" : " " + connectOrigins;
    // The handout preview (an iframe srcdoc) inherits this policy: its one inline style is allowed
    // by hash. The EHR may frame the app, as SMART EHR launches often do.
    this.contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' "
        + HandoutRenderer.styleSource() + "; img-src 'self' data:; connect-src 'self'" + others
        + "; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'" + others;
  }

  @GET
  public Response root() {
    return file("index.html");
  }

  @GET
  @Path("launch")
  public Response launch() {
    return file("launch.html");
  }

  @GET
  @Path("config")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> config() {
    return config;
  }

  @GET
  @Path("{file}")
  public Response file(@PathParam("file") String name) {
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1);
    if (!name.matches("[a-z0-9-]{1,40}\\.[a-z]{2,4}") || !FILE.contains(extension)) {
      return Response.status(404).type("text/plain").entity("not found").build();
    }
    try (InputStream in = AppResource.class.getClassLoader().getResourceAsStream("app/" + name)) {
      if (in == null) {
        return Response.status(404).type("text/plain").entity("not found").build();
      }
      return Response.ok(in.readAllBytes(), TYPES.get(extension))
          .header("Content-Security-Policy", contentSecurityPolicy)
          .header("X-Content-Type-Options", "nosniff")
          .header("Referrer-Policy", "no-referrer")
          .header("Cache-Control", "no-store")
          .build();
    } catch (IOException e) {
      return Response.status(500).build();
    }
  }
}
