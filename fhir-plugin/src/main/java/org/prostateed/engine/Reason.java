package org.prostateed.engine;

import java.util.List;
import org.prostateed.content.Severity;

/**
 * One finding behind a decision: the item, its severity, its rationale and what was found.
 *
 * @param finding what raised it: {@code yes}, {@code unknown}, {@code missing},
 *     {@code blocking-answer}, {@code not-as-required}, or {@code chart} when the chart holds an
 *     absolute contraindication that the answer did not report
 * @param evidence the chart records behind a {@code chart} finding (or backing a yes)
 */
public record Reason(
    String linkId, Severity severity, String rationale, String finding, Outcome raises, List<Evidence> evidence) {

  public Reason {
    evidence = List.copyOf(evidence);
  }
}
