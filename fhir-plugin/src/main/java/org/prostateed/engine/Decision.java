package org.prostateed.engine;

import java.util.List;

/** The outcome of a contraindication check and every reason behind it. */
public record Decision(Outcome outcome, List<Reason> reasons) {

  public Decision {
    reasons = List.copyOf(reasons);
  }

  /** The items the clinician must acknowledge before a REVIEW handout may be given. */
  public List<String> itemsToAcknowledge() {
    return reasons.stream().filter(r -> r.raises() == Outcome.REVIEW).map(Reason::linkId).toList();
  }

  /** The reasons that decided the outcome (those raising exactly this outcome). */
  public List<Reason> decisiveReasons() {
    return reasons.stream().filter(r -> r.raises() == outcome).toList();
  }
}
