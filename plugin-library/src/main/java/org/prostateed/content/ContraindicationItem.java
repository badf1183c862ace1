package org.prostateed.content;

import java.util.List;
import java.util.Optional;

/**
 * One question of the contraindication questionnaire, with what it means for the decision.
 *
 * @param prefillRules where the chart can answer "yes" (never "no": a missing record proves nothing)
 * @param blockingAnswer for gate items, the answer that stops the handout being offered
 * @param releaseRequires the answer that must be given before the handout is released
 */
public record ContraindicationItem(
    String linkId,
    String text,
    Severity severity,
    boolean required,
    String rationale,
    String trace,
    List<Coded> answerOptions,
    List<PrefillRule> prefillRules,
    Optional<Coded> blockingAnswer,
    Optional<Coded> releaseRequires) {

  public ContraindicationItem {
    answerOptions = List.copyOf(answerOptions);
    prefillRules = List.copyOf(prefillRules);
  }

  public Optional<Coded> option(String system, String code) {
    return answerOptions.stream().filter(option -> option.sameCode(system, code)).findFirst();
  }
}
