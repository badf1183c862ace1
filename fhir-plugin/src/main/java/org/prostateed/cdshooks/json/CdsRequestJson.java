package org.prostateed.cdshooks.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.Map;

/**
 * A hook call (CDS Hooks 2.0, "HTTP Request"). Prefetch values stay JSON trees, holding only what
 * the hook reads ({@link PrefetchDeserializer}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CdsRequestJson(
    String hook,
    String hookInstance,
    String fhirServer,
    FhirAuthorization fhirAuthorization,
    Map<String, JsonNode> context,
    @JsonDeserialize(contentUsing = PrefetchDeserializer.class) Map<String, JsonNode> prefetch) {

  /** The access token the EHR grants for fetching what prefetch lacks. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FhirAuthorization(
      @JsonProperty("access_token") String accessToken,
      @JsonProperty("token_type") String tokenType,
      @JsonProperty("expires_in") Integer expiresIn,
      String scope,
      String subject) {}
}
