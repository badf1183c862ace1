package org.prostateed.engine;

import java.util.List;
import org.prostateed.content.Coded;

/**
 * A Condition from the chart, reduced to what the engine needs.
 *
 * @param reference the FHIR reference, e.g. {@code Condition/123}, shown as evidence
 * @param codes every coding of the Condition's code
 * @param clinicalStatus the condition-clinical code, or null when the chart gives none
 * @param verificationStatus the condition-ver-status code, or null when the chart gives none
 * @param recorded the recorded or onset date as given, or null
 */
public record ChartCondition(
    String reference, List<Coded> codes, String clinicalStatus, String verificationStatus, String recorded) {

  public ChartCondition {
    codes = List.copyOf(codes);
  }

  /**
   * Whether the record can be trusted as a current diagnosis: confirmed (or unspecified) and
   * active (or unspecified). Entered-in-error, refuted, unconfirmed, resolved and inactive
   * records never count.
   */
  public boolean isCurrentAndConfirmed() {
    boolean active = clinicalStatus == null
        || "active".equals(clinicalStatus)
        || "recurrence".equals(clinicalStatus)
        || "relapse".equals(clinicalStatus);
    return isConfirmed() && active;
  }

  /** Whether the record may be believed at all: confirmed, or with no verification status. */
  public boolean isConfirmed() {
    return verificationStatus == null || "confirmed".equals(verificationStatus);
  }
}
