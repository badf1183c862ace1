package org.prostateed.engine;

import java.util.List;
import org.prostateed.content.Coded;
import org.prostateed.content.Severity;

/**
 * One finding behind a decision: the item, its severity, its rationale, what was found and what
 * the clinician must do about it.
 *
 * @param finding what raised it: {@code yes}, {@code unknown}, {@code missing},
 *     {@code blocking-answer}, {@code not-as-required}, or {@code chart} when the chart holds an
 *     absolute contraindication that the answer did not report
 * @param evidence the chart records behind a {@code chart} finding (or backing a yes)
 * @param needed what must happen before the handout may be given
 * @param ruleOutReasons for {@link Needed#RULE_OUT}, the reasons one of which must be recorded
 */
public record Reason(
    String linkId,
    Severity severity,
    String rationale,
    String finding,
    Outcome raises,
    List<Evidence> evidence,
    Needed needed,
    List<Coded> ruleOutReasons) {

  /** What a finding asks of the clinician. */
  public enum Needed {
    /** Nothing can release the handout: the item forbids it. */
    NOTHING_RELEASES("none"),
    /** Answer the item (or answer it as release requires). */
    ANSWER("answer"),
    /** Acknowledge the item explicitly when giving. */
    ACKNOWLEDGE("acknowledge"),
    /**
     * An absolute item answered "don't know": record which of {@code ruleOutReasons} was done today
     * to rule it out.
     */
    RULE_OUT("rule-out");

    private final String code;

    Needed(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  public Reason {
    evidence = List.copyOf(evidence);
    ruleOutReasons = List.copyOf(ruleOutReasons);
  }
}
