package org.prostateed.engine;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.HandoutVersion;

/**
 * Chooses which version of a handout may be given: the newest givable version in the first
 * language that has one.
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

  /**
   * Whether this exact version may be given today (CLINICAL.md section 5): only active, approved
   * (the approval still matches its text) and within its review date plus the local grace; in
   * demo mode also a draft within its review date. A retired version never.
   */
  public boolean givable(HandoutVersion version, LocalDate today) {
    LocalDate lastDay = version.reviewDue().plusDays(library.settings().reviewGraceDays());
    if (lastDay.isBefore(today)) {
      return false;
    }
    return switch (version.status()) {
      case ACTIVE -> library.approval(version).isPresent();
      case DRAFT -> allowDraft;
      case RETIRED -> false;
    };
  }
}
