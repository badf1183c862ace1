package org.prostateed.fhir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.engine.Answers;

/**
 * Reads the answers of a QuestionnaireResponse filled by our app or by any SDC renderer, and
 * rejects (422) a response that the decision could not be trusted on.
 */
public final class ResponseReader {

  /**
   * The questionnaire a response answers, its answers, and where each answer came from (every
   * answered item; {@code unknown} where the answer carries no DTR information-origin).
   */
  public record ReadResponse(ContraindicationQuestionnaire questionnaire, Answers answers,
      Map<String, AnswerOrigin> origins) {}

  private final ContentLibrary library;

  public ResponseReader(ContentLibrary library) {
    this.library = library;
  }

  public ReadResponse read(QuestionnaireResponse response) {
    if (!response.hasQuestionnaire()) {
      throw Outcomes.unprocessable("QuestionnaireResponse.questionnaire is missing");
    }
    String canonical = response.getQuestionnaire();
    int bar = canonical.indexOf('|');
    String url = bar < 0 ? canonical : canonical.substring(0, bar);
    ContraindicationQuestionnaire questionnaire = library.findQuestionnaire(url)
        .orElseThrow(() -> Outcomes.unprocessable(
            "QuestionnaireResponse.questionnaire: " + url + " is not a questionnaire of this plugin"));
    if (bar >= 0 && !canonical.substring(bar + 1).equals(questionnaire.version())) {
      throw Outcomes.unprocessable("QuestionnaireResponse.questionnaire: version "
          + canonical.substring(bar + 1) + " is not the current version " + questionnaire.version());
    }
    if (response.getStatus() != QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED) {
      throw Outcomes.unprocessable("QuestionnaireResponse.status must be 'completed' to be evaluated, not '"
          + (response.hasStatus() ? response.getStatus().toCode() : "missing") + "'");
    }
    List<String> problems = new ArrayList<>();
    Map<String, Coded> answers = new HashMap<>();
    Map<String, AnswerOrigin> origins = new TreeMap<>();
    for (QuestionnaireResponseItemComponent item : flatten(response.getItem())) {
      String linkId = item.getLinkId();
      Optional<ContraindicationItem> definition = questionnaire.item(linkId == null ? "" : linkId);
      if (definition.isEmpty()) {
        problems.add("item '" + linkId + "' is not in questionnaire " + questionnaire.canonical());
        continue;
      }
      if (answers.containsKey(linkId)) {
        problems.add("item '" + linkId + "' is answered twice");
        continue;
      }
      List<QuestionnaireResponseItemAnswerComponent> given = item.getAnswer();
      if (given.isEmpty()) {
        continue;
      }
      if (given.size() > 1) {
        problems.add("item '" + linkId + "' has " + given.size() + " answers; it takes one");
        continue;
      }
      QuestionnaireResponseItemAnswerComponent answer = given.get(0);
      if (!answer.hasValueCoding()) {
        problems.add("item '" + linkId + "' must be answered with a valueCoding, not "
            + (answer.hasValue() ? answer.getValue().fhirType() : "nothing"));
        continue;
      }
      Coding coding = answer.getValueCoding();
      Optional<Coded> option = definition.get().option(coding.getSystem(), coding.getCode());
      if (option.isEmpty()) {
        problems.add("item '" + linkId + "': " + coding.getSystem() + "|" + coding.getCode()
            + " is not one of its answer options");
        continue;
      }
      answers.put(linkId, option.get());
      origins.put(linkId, AnswerOrigin.read(answer, linkId, problems));
    }
    if (!problems.isEmpty()) {
      throw Outcomes.unprocessable(problems);
    }
    return new ReadResponse(questionnaire, new Answers(answers), Collections.unmodifiableMap(origins));
  }

  /** Items nested in groups or under answers count as items of the same response. */
  private static List<QuestionnaireResponseItemComponent> flatten(List<QuestionnaireResponseItemComponent> items) {
    List<QuestionnaireResponseItemComponent> flat = new ArrayList<>();
    for (QuestionnaireResponseItemComponent item : items) {
      if (item.hasItem()) {
        flat.addAll(flatten(item.getItem()));
      }
      if (item.hasAnswer() || !item.hasItem()) {
        flat.add(item);
      }
      for (QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
        flat.addAll(flatten(answer.getItem()));
      }
    }
    return flat;
  }
}
