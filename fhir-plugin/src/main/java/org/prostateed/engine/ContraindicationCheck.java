package org.prostateed.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.prostateed.content.Coded;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.Severity;
import org.prostateed.content.YesNoUnknown;

/**
 * Decides whether the handout may be given, from the answers alone (CLINICAL.md section 3):
 * any absolute yes (or gate blocking answer) gives CONTRAINDICATED; otherwise a required item
 * unanswered gives INCOMPLETE; otherwise any relative yes or absolute don't-know gives REVIEW;
 * otherwise ELIGIBLE.
 */
public final class ContraindicationCheck {

  public Decision decide(ContraindicationQuestionnaire questionnaire, Answers answers) {
    List<Reason> reasons = new ArrayList<>();
    for (ContraindicationItem item : questionnaire.items()) {
      Optional<Coded> answer = answers.get(item.linkId());
      if (answer.isEmpty()) {
        if (item.required()) {
          reasons.add(reason(item, "missing", Outcome.INCOMPLETE));
        }
        continue;
      }
      Coded given = answer.get();
      if (item.severity() == Severity.GATE
          && item.blockingAnswer().filter(given::sameCode).isPresent()) {
        reasons.add(reason(item, "blocking-answer", Outcome.CONTRAINDICATED));
      }
      if (item.severity() == Severity.ABSOLUTE && given.sameCode(YesNoUnknown.YES)) {
        reasons.add(reason(item, "yes", Outcome.CONTRAINDICATED));
      }
      if (item.severity() == Severity.ABSOLUTE && given.sameCode(YesNoUnknown.UNKNOWN)) {
        reasons.add(reason(item, "unknown", Outcome.REVIEW));
      }
      if (item.severity() == Severity.RELATIVE && given.sameCode(YesNoUnknown.YES)) {
        reasons.add(reason(item, "yes", Outcome.REVIEW));
      }
      if (item.releaseRequires().filter(required -> !required.sameCode(given)).isPresent()) {
        reasons.add(reason(item, "not-as-required", Outcome.INCOMPLETE));
      }
    }
    return new Decision(outcomeOf(reasons), reasons);
  }

  private static Outcome outcomeOf(List<Reason> reasons) {
    for (Outcome outcome : List.of(Outcome.CONTRAINDICATED, Outcome.INCOMPLETE, Outcome.REVIEW)) {
      if (reasons.stream().anyMatch(r -> r.raises() == outcome)) {
        return outcome;
      }
    }
    return Outcome.ELIGIBLE;
  }

  private static Reason reason(ContraindicationItem item, String finding, Outcome raises) {
    return new Reason(item.linkId(), item.severity(), item.rationale(), finding, raises);
  }
}
