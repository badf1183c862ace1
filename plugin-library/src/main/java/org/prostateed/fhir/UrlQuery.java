package org.prostateed.fhir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Encodes values for FHIR search queries. */
final class UrlQuery {

  private UrlQuery() {}

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A token search value {@code system|code}, encoded. */
  static String token(String system, String code) {
    return encode(system + "|" + code);
  }
}
