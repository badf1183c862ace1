package org.prostateed.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /fhir/.well-known/smart-configuration} (SMART App Launch 2.0) when an OpenID Connect
 * issuer authorises launches against this server: its authorisation and token endpoints, read
 * from the issuer's discovery document, and the capabilities the clinician app uses.
 */
final class SmartConfigurationServlet extends HttpServlet {

  private final String issuer;
  private final java.util.Set<String> permissions;
  private final ObjectMapper json;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private volatile byte[] document;

  /** @param permissions the SMART scope versions announced ({@code permission-v1}, {@code permission-v2}) */
  SmartConfigurationServlet(String issuer, java.util.Set<String> permissions, ObjectMapper json) {
    this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    this.permissions = java.util.Set.copyOf(permissions);
    this.json = json;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    byte[] body = document;
    if (body == null) {
      try {
        body = build();
        document = body;
      } catch (IOException | InterruptedException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        response.setStatus(503);
        response.setHeader("Retry-After", "10");
        return;
      }
    }
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "max-age=300");
    response.getOutputStream().write(body);
  }

  private byte[] build() throws IOException, InterruptedException {
    HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(
        URI.create(issuer + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (discovery.statusCode() != 200) {
      throw new IOException("the issuer's discovery answered " + discovery.statusCode());
    }
    JsonNode oidc = json.readTree(discovery.body());
    ObjectNode smart = json.createObjectNode();
    smart.put("issuer", oidc.path("issuer").asText(issuer));
    smart.put("authorization_endpoint", oidc.path("authorization_endpoint").asText());
    smart.put("token_endpoint", oidc.path("token_endpoint").asText());
    if (oidc.has("jwks_uri")) {
      smart.put("jwks_uri", oidc.get("jwks_uri").asText());
    }
    smart.putArray("grant_types_supported").add("authorization_code");
    smart.putArray("code_challenge_methods_supported").add("S256");
    List.of("launch-ehr", "client-public", "context-ehr-patient", "context-ehr-encounter", "sso-openid-connect",
        "permission-user", "permission-patient").forEach(smart.withArray("capabilities")::add);
    permissions.stream().sorted().forEach(version -> smart.withArray("capabilities").add("permission-" + version));
    return json.writeValueAsBytes(smart);
  }
}
