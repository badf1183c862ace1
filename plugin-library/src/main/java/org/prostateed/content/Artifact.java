package org.prostateed.content;

/**
 * A file of the library that carries clinical meaning and so needs a clinician's approval before
 * it is used outside demo mode: the questionnaire, a value set, a code system, the settings, the
 * stop signs, a handout.
 *
 * @param path the file's path inside the library, e.g. {@code valuesets/prostate-cancer.json}
 * @param sha256 hex SHA-256 of the file's bytes, which an approval is bound to
 */
public record Artifact(String path, String version, PublicationStatus status, String sha256) {}
