package org.prostateed.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/operations.md, CDS Hooks security: the trust file, and which client applies system actions. */
class CdsTrustTest {

  @Test
  void aClientAppliesSystemActionsOnlyWhenTheTrustFileSaysSo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("trust.json");
    Files.writeString(file, """
        {"issuers": [
          {"iss": "https://plain.example", "jku": ["https://plain.example/jwks"]},
          {"iss": "https://system.example", "jku": ["https://system.example/jwks"], "systemActions": true},
          {"iss": "https://said-no.example", "jku": ["https://said-no.example/jwks"], "systemActions": false}]}
        """);

    JwtSettings settings = CdsTrust.load(file, new ObjectMapper());

    assertThat(settings.issuer("https://plain.example")).hasValueSatisfying(i -> assertThat(i.systemActions()).isFalse());
    assertThat(settings.issuer("https://system.example")).hasValueSatisfying(i -> assertThat(i.systemActions()).isTrue());
    assertThat(settings.issuer("https://said-no.example")).hasValueSatisfying(i -> assertThat(i.systemActions()).isFalse());
  }

  @Test
  void systemActionsThatIsNotABooleanIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("trust.json");
    Files.writeString(file, "{\"issuers\": [{\"iss\": \"https://x.example\", \"systemActions\": \"yes\"}]}");

    assertThatThrownBy(() -> CdsTrust.load(file, new ObjectMapper())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'systemActions' of https://x.example must be true or false");
  }
}
