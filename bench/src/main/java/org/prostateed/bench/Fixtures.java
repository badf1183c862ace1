package org.prostateed.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;
import org.prostateed.content.Severity;
import org.prostateed.content.YesNoUnknown;

/** Inputs shared by the benchmark states, all built through the plugin's public API. */
final class Fixtures {

  /**
   * A fixed "now" (the day bench/RESULTS.md was written), so that date windows (PSA, recent
   * procedure, review due) give the same result on every run.
   */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  static final LocalDate TODAY = LocalDate.now(CLOCK);

  private Fixtures() {}

  /** The content library packed in fhir-plugin.jar, as the server loads it. */
  static ContentLibrary library() {
    return new ContentLoader(new ObjectMapper()).loadPackaged();
  }

  /** The first (and only) education item of the shipped catalog. */
  static EducationItem item(ContentLibrary library) {
    if (library.items().isEmpty()) {
      throw new IllegalStateException("the packaged content has no education item");
    }
    return library.items().get(0);
  }

  static ContraindicationQuestionnaire questionnaire(ContentLibrary library) {
    return library.questionnaire(item(library).questionnaireUrl());
  }

  /**
   * A complete response with nothing against the handout: "no" to every yes/no item, the first
   * non-blocking option for the gate and the other choice items, and the answer release requires
   * where an item has one.
   */
  static Map<String, Coded> allNo(ContraindicationQuestionnaire questionnaire) {
    Map<String, Coded> answers = new LinkedHashMap<>();
    for (ContraindicationItem item : questionnaire.items()) {
      Optional<Coded> answer = item.releaseRequires()
          .or(() -> item.option(YesNoUnknown.NO.system(), YesNoUnknown.NO.code()))
          .or(() -> item.answerOptions().stream()
              .filter(option -> item.severity() != Severity.GATE
                  || item.blockingAnswer().filter(option::sameCode).isEmpty())
              .findFirst());
      answer.ifPresent(value -> answers.put(item.linkId(), value));
    }
    return answers;
  }

  /** A yes/no item of the given severity, in questionnaire order. */
  static ContraindicationItem firstYesNoItem(ContraindicationQuestionnaire questionnaire, Severity severity) {
    return questionnaire.items().stream()
        .filter(item -> item.severity() == severity)
        .filter(item -> item.option(YesNoUnknown.YES.system(), YesNoUnknown.YES.code()).isPresent())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the questionnaire has no " + severity.code() + " yes/no item"));
  }
}
