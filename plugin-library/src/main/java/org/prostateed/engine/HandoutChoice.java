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

  public boolean givable(HandoutVersion version, LocalDate today) {
    return whyNotGivable(version, today).isEmpty();
  }

  /**
   * Why this exact version may not be given today, or empty when it may. Only an active version
   * with an approval that still matches its text, within its review date plus the grace days, is
   * given; in demo mode a draft within its review date too; a retired version never. A
   * translation is given only while the version it was translated from is still the one in the
   * library, unchanged.
   */
  public Optional<String> whyNotGivable(HandoutVersion version, LocalDate today) {
    LocalDate lastDay = version.reviewDue().plusDays(library.settings().reviewGraceDays());
    if (lastDay.isBefore(today)) {
      return Optional.of(version.key() + " is past its review date " + version.reviewDue());
    }
    Optional<String> stale = library.staleTranslation(version);
    if (stale.isPresent()) {
      return stale;
    }
    return switch (version.status()) {
      case ACTIVE -> library.approval(version).isPresent() ? Optional.empty()
          : Optional.of(version.key() + " is active but no approval matches its text");
      case DRAFT -> allowDraft ? Optional.empty() : Optional.of(version.key() + " is a draft (given only in demo mode)");
      case RETIRED -> Optional.of(version.key() + " is retired");
    };
  }
}
