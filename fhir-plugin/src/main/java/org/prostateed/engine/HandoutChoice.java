package org.prostateed.engine;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.HandoutVersion;
import org.prostateed.content.PublicationStatus;

/**
 * Chooses which version of a handout may be given: the newest version in the first language that
 * has one that is active and not past its review date (or, in demo mode only, a draft).
 */
public final class HandoutChoice {

  /** The language used when none of the patient's languages has a version. */
  public static final String FALLBACK_LANGUAGE = "en";

  private final ContentLibrary library;
  private final boolean allowDraft;

  public HandoutChoice(ContentLibrary library, boolean allowDraft) {
    this.library = library;
    this.allowDraft = allowDraft;
  }

  public Optional<HandoutVersion> choose(String handoutId, List<String> languages, LocalDate today) {
    List<String> tried = new ArrayList<>(languages);
    if (!tried.contains(FALLBACK_LANGUAGE)) {
      tried.add(FALLBACK_LANGUAGE);
    }
    for (String language : tried) {
      Optional<HandoutVersion> version = library.handoutVersions(handoutId, language).stream()
          .filter(candidate -> givable(candidate, today))
          .findFirst();
      if (version.isPresent()) {
        return version;
      }
    }
    return Optional.empty();
  }

  /** Whether this exact version may be given today. */
  public boolean givable(HandoutVersion version, LocalDate today) {
    if (version.reviewDue().isBefore(today)) {
      return false;
    }
    return version.status() == PublicationStatus.ACTIVE
        || allowDraft && version.status() == PublicationStatus.DRAFT;
  }
}
