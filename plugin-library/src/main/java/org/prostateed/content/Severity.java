package org.prostateed.content;

import java.util.Locale;

/** How an answer to a contraindication item weighs in the decision (docs/clinical-rules.md, "The decision"). */
public enum Severity {
  /** A yes forbids the handout; a don't-know needs clinician review. */
  ABSOLUTE,
  /** A yes needs the clinician's explicit acknowledgement before the handout is given. */
  RELATIVE,
  /** Recorded and used to personalise the handout; never blocks on its own. */
  INFO,
  /** Decides whether the handout is offered at all (its blocking answer stops it). */
  GATE;

  private final String code = name().toLowerCase(Locale.ROOT);

  public String code() {
    return code;
  }

  public static Severity fromCode(String code) {
    for (Severity severity : values()) {
      if (severity.code().equals(code)) {
        return severity;
      }
    }
    throw new IllegalArgumentException("unknown severity '" + code + "'");
  }
}
