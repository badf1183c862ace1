package org.prostateed.content;

/**
 * Where the chart can answer an item "yes": records of one kind whose code is in a value set.
 * Windows and thresholds come from {@link LocalSettings}.
 */
public record PrefillRule(Source source, String valueSetUrl) {

  /** The kind of chart record a rule reads, with the questionnaire extension that declares it. */
  public enum Source {
    /** An active, confirmed Condition ({@code prefill-valueset}). */
    CONDITION("prefill-valueset"),
    /** The latest result within {@code psaWindowMonths}, above {@code psaThresholdNgPerMl} ({@code prefill-observation-valueset}). */
    OBSERVATION("prefill-observation-valueset"),
    /** An active MedicationRequest or MedicationStatement, by code or ingredient name ({@code prefill-medication-valueset}). */
    MEDICATION("prefill-medication-valueset"),
    /** An active, not refuted AllergyIntolerance ({@code prefill-allergy-valueset}). */
    ALLERGY("prefill-allergy-valueset"),
    /** A Procedure within {@code recentProcedureWindowWeeks} ({@code prefill-procedure-valueset}). */
    PROCEDURE("prefill-procedure-valueset");

    private final String extension;

    Source(String extension) {
      this.extension = extension;
    }

    public String extension() {
      return extension;
    }
  }
}
