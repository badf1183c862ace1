package org.prostateed.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.prostateed.content.Coded;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.Severity;
import org.prostateed.content.YesNoUnknown;

/**
 * Decides whether the handout may be given, from the answers (the rules are written out in
 * {@code docs/rules.md}): any absolute yes (or gate blocking answer) gives CONTRAINDICATED;
 * otherwise a required item unanswered gives INCOMPLETE; otherwise any relative yes or absolute
 * don't-know gives REVIEW; otherwise ELIGIBLE. A relative yes needs the clinician's
 * acknowledgement; an absolute don't-know needs a recorded reason saying what was done today to
 * rule it out, one of the questionnaire's rule-out reasons.
 */
public final class ContraindicationCheck {

  public Decision decide(ContraindicationQuestionnaire questionnaire, Answers answers) {
    return decide(questionnaire, answers, Map.of());
  }

  /**
   * The decision when the chart is known too. "Chart beats the form": an absolute item for which
   * the chart holds evidence is contraindicated whatever the answer says, and the reason names the
   * records.
   *
   * @param chartEvidence evidence from the chart per linkId (see {@link ChartPrefill#evidence})
   */
  public Decision decide(ContraindicationQuestionnaire questionnaire, Answers answers,
      Map<String, List<Evidence>> chartEvidence) {
    List<Reason> reasons = new ArrayList<>();
    for (ContraindicationItem item : questionnaire.items()) {
      Optional<Coded> answer = answers.get(item.linkId());
      List<Evidence> evidence = chartEvidence.getOrDefault(item.linkId(), List.of());
      boolean answeredYes = answer.filter(YesNoUnknown.YES::sameCode).isPresent();
      if (item.severity() == Severity.ABSOLUTE && !evidence.isEmpty() && !answeredYes) {
        reasons.add(reason(questionnaire, item, "chart", Outcome.CONTRAINDICATED, evidence));
        continue;
      }
      if (answer.isEmpty()) {
        if (item.required()) {
          reasons.add(reason(questionnaire, item, "missing", Outcome.INCOMPLETE, List.of()));
        }
        continue;
      }
      Coded given = answer.get();
      if (item.severity() == Severity.GATE
          && item.blockingAnswer().filter(given::sameCode).isPresent()) {
        reasons.add(reason(questionnaire, item, "blocking-answer", Outcome.CONTRAINDICATED, List.of()));
      }
      if (item.severity() == Severity.ABSOLUTE && given.sameCode(YesNoUnknown.YES)) {
        reasons.add(reason(questionnaire, item, "yes", Outcome.CONTRAINDICATED, evidence));
      }
      if (item.severity() == Severity.ABSOLUTE && given.sameCode(YesNoUnknown.UNKNOWN)) {
        reasons.add(reason(questionnaire, item, "unknown", Outcome.REVIEW, List.of()));
      }
      if (item.severity() == Severity.RELATIVE && given.sameCode(YesNoUnknown.YES)) {
        reasons.add(reason(questionnaire, item, "yes", Outcome.REVIEW, evidence));
      }
      if (item.releaseRequires().filter(required -> !required.sameCode(given)).isPresent()) {
        reasons.add(reason(questionnaire, item, "not-as-required", Outcome.INCOMPLETE, List.of()));
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

  private static Reason reason(ContraindicationQuestionnaire questionnaire, ContraindicationItem item, String finding,
      Outcome raises, List<Evidence> evidence) {
    Reason.Needed needed = switch (raises) {
      case CONTRAINDICATED -> Reason.Needed.NOTHING_RELEASES;
      case INCOMPLETE -> Reason.Needed.ANSWER;
      case REVIEW -> item.severity() == Severity.ABSOLUTE ? Reason.Needed.RULE_OUT : Reason.Needed.ACKNOWLEDGE;
      case ELIGIBLE -> throw new IllegalArgumentException("no reason raises ELIGIBLE");
    };
    return new Reason(item.linkId(), item.severity(), item.rationale(), finding, raises, evidence, needed,
        needed == Reason.Needed.RULE_OUT ? questionnaire.ruleOutReasons() : List.of());
  }
}
