package org.prostateed.engine;

/** The four outcomes of a contraindication check ({@code docs/rules.md}). */
public enum Outcome {
  /** An absolute contraindication (or a gate) says no: the handout is never given. */
  CONTRAINDICATED,
  /** A required item is unanswered or not answered as release requires. */
  INCOMPLETE,
  /** Relative contraindications or absolute unknowns: given only after acknowledgement. */
  REVIEW,
  /** Nothing stands in the way. */
  ELIGIBLE
}
