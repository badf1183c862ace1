package org.prostateed.content;

import java.util.List;
import java.util.Optional;

/**
 * An education item: the diagnoses that make an encounter qualify, the contraindication
 * questionnaire to answer, and the handout to give.
 *
 * @param generalAnswers the answers the handout's general (not personalised) text is rendered
 *     with, as code per linkId (for example, who performs the massage), as the Infobutton links to it
 * @param overrideReasons the value set of the reasons its critical and warning CDS cards offer
 *     for an override, and that feedback may name (exact codes of code systems in the library)
 */
public record EducationItem(
    String id,
    String title,
    String questionnaireUrl,
    String handoutId,
    Optional<Coded> documentType,
    List<QualifyingSet> qualifying,
    Optional<TeachBack> teachBack,
    java.util.Map<String, String> generalAnswers,
    String overrideReasons) {

  public EducationItem {
    qualifying = List.copyOf(qualifying);
    generalAnswers = java.util.Map.copyOf(generalAnswers);
  }

  /** What teach-back records: the Observation code and the possible results. */
  public record TeachBack(Coded code, List<Coded> results) {
    public TeachBack {
      results = List.copyOf(results);
    }

    public Optional<Coded> result(String code) {
      return results.stream().filter(result -> result.code().equals(code)).findFirst();
    }
  }

  /** A value set whose codes qualify, and the {@code indication} answer it implies. */
  public record QualifyingSet(String valueSetUrl, String indication) {}
}
