package org.prostateed.content;

import java.time.LocalDate;
import java.util.List;

/**
 * One version of a handout in one language, exactly as written in {@code content/}.
 *
 * @param markdown the body without front matter
 * @param sha256 hex SHA-256 of the whole file as shipped (front matter included)
 */
public record HandoutVersion(
    String id,
    String version,
    String language,
    String title,
    PublicationStatus status,
    LocalDate reviewDue,
    String source,
    List<String> evidence,
    String markdown,
    byte[] fileBytes,
    String sha256) {

  public HandoutVersion {
    evidence = List.copyOf(evidence);
    fileBytes = fileBytes.clone();
  }

  @Override
  public byte[] fileBytes() {
    return fileBytes.clone();
  }

  /** A stable key for this version in this language, e.g. {@code prostate-massage|en|0.1.0}. */
  public String key() {
    return id + "|" + language + "|" + version;
  }
}
