package org.prostateed.content;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One version of a handout in one language, exactly as written in {@code content/}.
 *
 * @param markdown the body without front matter
 * @param markup the sections, stop signs and placeholders of the body
 * @param translation for a translation, the exact version it was translated from
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
    Optional<Translation> translation,
    Optional<String> draftMark,
    String markdown,
    HandoutMarkup.Parsed markup,
    byte[] fileBytes,
    String sha256) {

  /** The version a translation was made from: its language, version and the SHA-256 of its file. */
  public record Translation(String language, String version, String sha256) {}

  public HandoutVersion {
    evidence = List.copyOf(evidence);
    fileBytes = fileBytes.clone();
  }

  @Override
  public byte[] fileBytes() {
    return fileBytes.clone();
  }

  /** The words that mark a draft, in English unless the handout names its own. */
  public static final String ENGLISH_DRAFT_MARK = "DRAFT - not clinically reviewed";

  /** What marks this version as a draft, in the handout's own language. */
  public String draftMarkText() {
    return draftMark.orElse(ENGLISH_DRAFT_MARK);
  }

  /** A stable key for this version in this language, e.g. {@code prostate-massage|en|0.1.0}. */
  public String key() {
    return id + "|" + language + "|" + version;
  }

  /** The file's path inside the library. */
  public String path() {
    return "handouts/" + id + "/" + id + "." + language + ".md";
  }
}
