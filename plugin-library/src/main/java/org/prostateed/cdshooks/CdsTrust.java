package org.prostateed.cdshooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the trusted CDS clients from a JSON file:
 * {@code {"issuers": [{"iss": "...", "jwks": {"keys": [...]}, "jku": ["https://..."], "systemActions": true}]}}.
 * {@code systemActions} (default false) says the client applies CDS Hooks system actions.
 */
public final class CdsTrust {

  private CdsTrust() {}

  /** No trusted client: every CDS call is refused until a trust file is given. */
  public static JwtSettings none() {
    return JwtSettings.of();
  }

  public static JwtSettings load(Path file, ObjectMapper json) {
    try {
      JsonNode root = json.readTree(file.toFile());
      List<JwtSettings.TrustedIssuer> issuers = new ArrayList<>();
      for (JsonNode issuer : root.path("issuers")) {
        String iss = issuer.path("iss").asText(null);
        if (iss == null) {
          throw new IllegalArgumentException(file + ": every issuer needs 'iss'");
        }
        List<String> jku = new ArrayList<>();
        issuer.path("jku").forEach(url -> jku.add(url.asText()));
        Optional<String> jwks = issuer.has("jwks") ? Optional.of(issuer.get("jwks").toString()) : Optional.empty();
        JsonNode systemActions = issuer.path("systemActions");
        if (!systemActions.isMissingNode() && !systemActions.isBoolean()) {
          throw new IllegalArgumentException(file + ": 'systemActions' of " + iss + " must be true or false");
        }
        issuers.add(new JwtSettings.TrustedIssuer(iss, jwks, jku, systemActions.asBoolean(false)));
      }
      return JwtSettings.of(issuers.toArray(JwtSettings.TrustedIssuer[]::new));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " cannot be read as CDS trust settings: " + e.getMessage(), e);
    }
  }
}
