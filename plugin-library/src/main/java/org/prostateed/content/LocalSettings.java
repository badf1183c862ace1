package org.prostateed.content;

import java.util.Map;
import java.util.Optional;

/**
 * The thresholds, windows and periods a content owner sets for the whole library, from
 * {@code content/settings.json}. Every value is required there, with its source: the code holds
 * no default.
 *
 * @param version the version of the settings file, which an approval is bound to
 * @param status the publication status of the settings file
 * @param psaThresholdNgPerMl a PSA above this pre-fills {@code psa-abnormal}
 * @param psaWindowMonths only PSA results this recent count
 * @param psaMedicationFactor what a PSA measured on a medicine of the item's adjusting value set is
 *     multiplied by before it is compared with the threshold
 * @param psaMedicationMinMonths how long before the test that medicine must have been started for
 *     the factor to apply; a shorter or unknown time flags the result instead
 * @param responseMaxAgeHours an older QuestionnaireResponse cannot be used to give
 * @param reviewGraceDays days past the review date a version may still be given
 * @param defaultReviewYears the review period proposed for a new version
 * @param noBenefitReviewWeeks after how many weeks without benefit the handout tells the patient to
 *     come back (shown in the handout as {@code {{settings.noBenefitReviewWeeks}}})
 * @param windowWeeks per item linkId, how many weeks back its windowed pre-fill rules look
 */
public record LocalSettings(
    String version,
    PublicationStatus status,
    double psaThresholdNgPerMl,
    int psaWindowMonths,
    double psaMedicationFactor,
    int psaMedicationMinMonths,
    int responseMaxAgeHours,
    int reviewGraceDays,
    int defaultReviewYears,
    int noBenefitReviewWeeks,
    Map<String, Integer> windowWeeks) {

  /** The keys of {@code values} in {@code settings.json}, each required. */
  public static final java.util.List<String> VALUE_KEYS = java.util.List.of(
      "psaThresholdNgPerMl", "psaWindowMonths", "psaMedicationFactor", "psaMedicationMinMonths",
      "responseMaxAgeHours", "reviewGraceDays", "defaultReviewYears", "noBenefitReviewWeeks");

  public LocalSettings {
    windowWeeks = Map.copyOf(windowWeeks);
  }

  /** The look-back window of an item's windowed rules, in weeks. */
  public Optional<Integer> windowWeeks(String linkId) {
    return Optional.ofNullable(windowWeeks.get(linkId));
  }

  /** A value as the handout shows it ({@code {{settings.<key>}}}), or empty for an unknown key. */
  public Optional<String> display(String key) {
    return switch (key) {
      case "psaThresholdNgPerMl" -> Optional.of(number(psaThresholdNgPerMl));
      case "psaWindowMonths" -> Optional.of(String.valueOf(psaWindowMonths));
      case "psaMedicationFactor" -> Optional.of(number(psaMedicationFactor));
      case "psaMedicationMinMonths" -> Optional.of(String.valueOf(psaMedicationMinMonths));
      case "responseMaxAgeHours" -> Optional.of(String.valueOf(responseMaxAgeHours));
      case "reviewGraceDays" -> Optional.of(String.valueOf(reviewGraceDays));
      case "defaultReviewYears" -> Optional.of(String.valueOf(defaultReviewYears));
      case "noBenefitReviewWeeks" -> Optional.of(String.valueOf(noBenefitReviewWeeks));
      default -> Optional.empty();
    };
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
