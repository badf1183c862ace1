package org.prostateed.content;

import java.util.Locale;

/** FHIR publication status of a content version. */
public enum PublicationStatus {
  DRAFT,
  ACTIVE,
  RETIRED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PublicationStatus fromCode(String code) {
    for (PublicationStatus status : values()) {
      if (status.code().equals(code)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown status '" + code + "' (draft, active or retired)");
  }
}
