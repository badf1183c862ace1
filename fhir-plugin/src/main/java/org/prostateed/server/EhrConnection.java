package org.prostateed.server;

import java.time.Duration;
import java.util.Optional;

/**
 * The EHR's FHIR server that the plugin works beside.
 *
 * @param baseUrl its FHIR R4 base URL
 * @param token the access token it needs, if any
 * @param timeout how long to wait to connect and for each answer; a store that takes longer is
 *     treated as down (503 with {@code Retry-After})
 */
public record EhrConnection(String baseUrl, Optional<String> token, Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public EhrConnection {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the FHIR server timeout must be positive");
    }
  }
}
