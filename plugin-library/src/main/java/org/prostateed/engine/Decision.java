package org.prostateed.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prostateed.content.Coded;

/** The outcome of a contraindication check and every reason behind it. */
public record Decision(Outcome outcome, List<Reason> reasons) {

  public Decision {
    reasons = List.copyOf(reasons);
  }

  /** The relative items the clinician must acknowledge before a REVIEW handout may be given. */
  public List<String> itemsToAcknowledge() {
    return reasons.stream().filter(r -> r.needed() == Reason.Needed.ACKNOWLEDGE).map(Reason::linkId).toList();
  }

  /** The absolute items answered "don't know", for each of which a rule-out reason must be recorded. */
  public List<String> itemsToRuleOut() {
    return reasons.stream().filter(r -> r.needed() == Reason.Needed.RULE_OUT).map(Reason::linkId).toList();
  }

  /** The reasons that decided the outcome (those raising exactly this outcome). */
  public List<Reason> decisiveReasons() {
    return reasons.stream().filter(r -> r.raises() == outcome).toList();
  }

  /**
   * What still stands between a REVIEW decision and the handout, one message per item naming its
   * linkId: every relative item acknowledged, and for every absolute item answered "don't know" a
   * rule-out reason that is one of the item's. Empty when the handout may be released.
   *
   * @param ruledOut the rule-out reason recorded per linkId
   */
  public List<String> unmetForRelease(Set<String> acknowledged, Map<String, Coded> ruledOut) {
    List<String> unmet = new ArrayList<>();
    for (Reason reason : reasons) {
      if (reason.needed() == Reason.Needed.ACKNOWLEDGE && !acknowledged.contains(reason.linkId())) {
        unmet.add(reason.linkId() + ": the practitioner must acknowledge this item before the handout is given");
      }
      if (reason.needed() == Reason.Needed.RULE_OUT) {
        Coded recorded = ruledOut.get(reason.linkId());
        if (recorded == null) {
          unmet.add(reason.linkId() + ": answered \"don't know\" on an absolute item; record what was done today to"
              + " rule it out (ruledOut, one of " + codes(reason.ruleOutReasons()) + ")");
        } else if (reason.ruleOutReasons().stream().noneMatch(recorded::sameCode)) {
          unmet.add(reason.linkId() + ": " + recorded + " is not a rule-out reason of this item (one of "
              + codes(reason.ruleOutReasons()) + ")");
        }
      }
    }
    return unmet;
  }

  private static String codes(List<Coded> reasons) {
    return String.join(", ", reasons.stream().map(Coded::code).toList());
  }
}
