package org.prostateed.content;

/**
 * Where the chart can answer an item "yes": records of one kind whose code is in a value set.
 * Thresholds and windows come from {@link LocalSettings}.
 */
public record PrefillRule(Source source, String valueSetUrl) {

  /** The kinds of chart record that pre-fill reads. */
  public enum Record {
    CONDITION,
    OBSERVATION,
    MEDICATION,
    ALLERGY,
    PROCEDURE
  }

  /** The kind of rule, with the questionnaire extension that declares it and the records it reads. */
  public enum Source {
    /** An active, confirmed Condition ({@code prefill-valueset}). */
    CONDITION("prefill-valueset", Record.CONDITION),
    /**
     * A confirmed Condition that is active, or that started or ended within the item's window
     * ({@code prefill-recent-condition-valueset}; the window is {@code windowWeeks} of the item).
     */
    RECENT_CONDITION("prefill-recent-condition-valueset", Record.CONDITION),
    /** The latest result within {@code psaWindowMonths}, above {@code psaThresholdNgPerMl} ({@code prefill-observation-valueset}). */
    OBSERVATION("prefill-observation-valueset", Record.OBSERVATION),
    /**
     * Medicines that change the observation rule's result ({@code prefill-observation-medication-valueset}):
     * the result is multiplied by {@code psaMedicationFactor} when such a medicine is active and was
     * started at least {@code psaMedicationMinMonths} before the test, and flagged otherwise. Never
     * pre-fills on its own.
     */
    OBSERVATION_MEDICATION("prefill-observation-medication-valueset", Record.MEDICATION),
    /** An active MedicationRequest or MedicationStatement, by code or ingredient name ({@code prefill-medication-valueset}). */
    MEDICATION("prefill-medication-valueset", Record.MEDICATION),
    /** An active, not refuted AllergyIntolerance ({@code prefill-allergy-valueset}). */
    ALLERGY("prefill-allergy-valueset", Record.ALLERGY),
    /** A completed or in-progress Procedure within the item's window ({@code prefill-procedure-valueset}). */
    PROCEDURE("prefill-procedure-valueset", Record.PROCEDURE);

    private final String extension;
    private final Record records;

    Source(String extension, Record records) {
      this.extension = extension;
      this.records = records;
    }

    public String extension() {
      return extension;
    }

    /** The kind of chart record the rule reads. */
    public Record records() {
      return records;
    }

    /** Whether the rule looks back over the item's {@code windowWeeks}. */
    public boolean windowed() {
      return this == RECENT_CONDITION || this == PROCEDURE;
    }
  }
}
