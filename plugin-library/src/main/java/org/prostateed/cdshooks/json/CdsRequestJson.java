package org.prostateed.cdshooks.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A hook call (CDS Hooks 2.0, "HTTP Request"). Prefetch values are JSON trees here; the hook parses
 * each one as a FHIR resource with HAPI.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CdsRequestJson(
    String hook,
    String hookInstance,
    String fhirServer,
    FhirAuthorization fhirAuthorization,
    Map<String, JsonNode> context,
    Map<String, JsonNode> prefetch) {

  /** The access token the EHR grants for fetching what prefetch lacks. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FhirAuthorization(
      @JsonProperty("access_token") String accessToken,
      @JsonProperty("token_type") String tokenType,
      @JsonProperty("expires_in") Integer expiresIn,
      String scope,
      String subject) {}
}
