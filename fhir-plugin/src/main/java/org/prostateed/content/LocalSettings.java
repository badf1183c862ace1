package org.prostateed.content;

/**
 * Thresholds and windows that CLINICAL.md marks <em>local</em>: configuration in
 * {@code content/settings.json}, with these defaults when a key is absent.
 *
 * @param psaThresholdNgPerMl a PSA above this pre-fills {@code psa-abnormal} (default 4.0)
 * @param psaWindowMonths only PSA results this recent count (default 12)
 * @param recentProcedureWindowWeeks procedures this recent pre-fill {@code recent-procedure} (default 6)
 * @param responseMaxAgeHours an older QuestionnaireResponse cannot be used to give (default 24)
 * @param reviewGraceDays days past the review date a version may still be given (default 0)
 * @param defaultReviewYears the review date {@code content approve} proposes (default 2)
 */
public record LocalSettings(
    double psaThresholdNgPerMl,
    int psaWindowMonths,
    int recentProcedureWindowWeeks,
    int responseMaxAgeHours,
    int reviewGraceDays,
    int defaultReviewYears) {

  public static LocalSettings defaults() {
    return new LocalSettings(4.0, 12, 6, 24, 0, 2);
  }
}
