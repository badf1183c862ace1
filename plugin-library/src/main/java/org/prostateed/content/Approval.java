package org.prostateed.content;

import java.time.LocalDate;

/**
 * A clinician's approval of one exact artifact: bound to the SHA-256 of the file as it was
 * approved, so any later edit breaks it.
 *
 * @param artifact the file's path inside {@code content/}, e.g. {@code handouts/x/x.en.md}
 */
public record Approval(String artifact, String version, String sha256, String approver, String role, LocalDate date) {}
