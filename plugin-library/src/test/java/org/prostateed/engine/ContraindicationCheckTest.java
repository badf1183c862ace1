package org.prostateed.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.prostateed.content.Coded;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.Severity;
import org.prostateed.content.ShippedContent;
import org.prostateed.content.YesNoUnknown;

/**
 * docs/clinical-rules.md, "The decision": an absolute yes makes it CONTRAINDICATED; a relative yes
 * or an absolute don't-know makes it REVIEW; a required item left unanswered makes it INCOMPLETE;
 * anything else is ELIGIBLE.
 */
class ContraindicationCheckTest {

  private final ContraindicationQuestionnaire questionnaire = ShippedContent.questionnaire();
  private final ContraindicationCheck check = new ContraindicationCheck();

  /** A complete response with nothing against the handout. */
  static Map<String, Coded> eligibleAnswers(ContraindicationQuestionnaire questionnaire) {
    Map<String, Coded> answers = new HashMap<>();
    for (ContraindicationItem item : questionnaire.items()) {
      answers.put(item.linkId(), item.option(YesNoUnknown.NO.system(), YesNoUnknown.NO.code())
          .orElse(item.answerOptions().get(0)));
    }
    answers.put("understanding", YesNoUnknown.YES);
    return answers;
  }

  @Test
  void completeAnswersWithNothingAgainstAreEligible() {
    Decision decision = check.decide(questionnaire, new Answers(eligibleAnswers(questionnaire)));

    assertThat(decision.outcome()).isEqualTo(Outcome.ELIGIBLE);
    assertThat(decision.reasons()).isEmpty();
  }

  static Stream<Arguments> singleAnswers() {
    ContraindicationQuestionnaire questionnaire = ShippedContent.questionnaire();
    return questionnaire.items().stream()
        .filter(item -> item.option(YesNoUnknown.YES.system(), YesNoUnknown.YES.code()).isPresent())
        .flatMap(item -> Stream.of(
            Arguments.of(item.linkId(), YesNoUnknown.YES, expectedFor(item, YesNoUnknown.YES)),
            Arguments.of(item.linkId(), YesNoUnknown.UNKNOWN, expectedFor(item, YesNoUnknown.UNKNOWN)),
            Arguments.of(item.linkId(), null, item.required() ? Outcome.INCOMPLETE : Outcome.ELIGIBLE)));
  }

  private static Outcome expectedFor(ContraindicationItem item, Coded answer) {
    if (item.releaseRequires().isPresent()) {
      return answer.sameCode(item.releaseRequires().get()) ? Outcome.ELIGIBLE : Outcome.INCOMPLETE;
    }
    boolean yes = answer.sameCode(YesNoUnknown.YES);
    return switch (item.severity()) {
      case ABSOLUTE -> yes ? Outcome.CONTRAINDICATED : Outcome.REVIEW;
      case RELATIVE -> yes ? Outcome.REVIEW : Outcome.ELIGIBLE;
      default -> Outcome.ELIGIBLE;
    };
  }

  @ParameterizedTest(name = "{0} = {1} gives {2}")
  @MethodSource("singleAnswers")
  void oneAnswerChangedFromEligibleGivesTheOutcomeOfItsSeverity(String linkId, Coded answer, Outcome expected) {
    Map<String, Coded> answers = eligibleAnswers(questionnaire);
    if (answer == null || questionnaire.item(linkId).orElseThrow().option(answer.system(), answer.code()).isEmpty()) {
      answers.remove(linkId);
    } else {
      answers.put(linkId, answer);
    }

    Decision decision = check.decide(questionnaire, new Answers(answers));

    assertThat(decision.outcome()).isEqualTo(expected);
    if (expected != Outcome.ELIGIBLE) {
      assertThat(decision.decisiveReasons()).singleElement().satisfies(reason -> {
        assertThat(reason.linkId()).isEqualTo(linkId);
        assertThat(reason.severity()).isEqualTo(questionnaire.item(linkId).orElseThrow().severity());
        assertThat(reason.rationale()).isEqualTo(questionnaire.item(linkId).orElseThrow().rationale());
      });
    }
  }

  @Test
  void theOtherIndicationBlocksTheHandout() {
    Map<String, Coded> answers = eligibleAnswers(questionnaire);
    ContraindicationItem indication = questionnaire.item("indication").orElseThrow();
    answers.put("indication", indication.blockingAnswer().orElseThrow());

    Decision decision = check.decide(questionnaire, new Answers(answers));

    assertThat(decision.outcome()).isEqualTo(Outcome.CONTRAINDICATED);
    assertThat(decision.decisiveReasons()).extracting(Reason::linkId, Reason::severity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("indication", Severity.GATE));
  }

  @Test
  void anAbsoluteYesOutweighsMissingAnswersAndRelativeYeses() {
    Map<String, Coded> answers = eligibleAnswers(questionnaire);
    answers.put("prostate-cancer", YesNoUnknown.YES);
    answers.put("bleeding-risk", YesNoUnknown.YES);
    answers.remove("performer");

    Decision decision = check.decide(questionnaire, new Answers(answers));

    assertThat(decision.outcome()).isEqualTo(Outcome.CONTRAINDICATED);
    assertThat(decision.reasons()).extracting(Reason::linkId, Reason::raises).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("prostate-cancer", Outcome.CONTRAINDICATED),
        org.assertj.core.groups.Tuple.tuple("bleeding-risk", Outcome.REVIEW),
        org.assertj.core.groups.Tuple.tuple("performer", Outcome.INCOMPLETE));
  }

  @Test
  void aMissingRequiredAnswerOutweighsRelativeYeses() {
    Map<String, Coded> answers = eligibleAnswers(questionnaire);
    answers.put("anorectal-disease", YesNoUnknown.YES);
    answers.remove("understanding");

    assertThat(check.decide(questionnaire, new Answers(answers)).outcome()).isEqualTo(Outcome.INCOMPLETE);
  }

  @Test
  void reviewListsEveryFlaggedItemToAcknowledge() {
    Map<String, Coded> answers = eligibleAnswers(questionnaire);
    answers.put("anorectal-disease", YesNoUnknown.YES);
    answers.put("bleeding-risk", YesNoUnknown.YES);
    answers.put("acute-infection", YesNoUnknown.UNKNOWN);

    Decision decision = check.decide(questionnaire, new Answers(answers));

    assertThat(decision.outcome()).isEqualTo(Outcome.REVIEW);
    assertThat(decision.itemsToAcknowledge()).containsExactlyInAnyOrder("anorectal-disease", "bleeding-risk");
    assertThat(decision.itemsToRuleOut()).containsExactly("acute-infection");
  }

  // Issue 22, section 3: the new items and their severities (product decisions, to confirm):
  // an absolute yes is CONTRAINDICATED and its don't-know REVIEW with a rule-out reason to
  // record; a relative yes is REVIEW with an acknowledgement; a relative don't-know flags nothing.
  @ParameterizedTest(name = "{0}: yes {1} ({2}), don''t know {3} ({4})")
  @org.junit.jupiter.params.provider.CsvSource({
      "recent-acute-prostatitis, CONTRAINDICATED, none,        REVIEW,   rule-out",
      "urinary-infection,        CONTRAINDICATED, none,        REVIEW,   rule-out",
      "urinary-retention,        CONTRAINDICATED, none,        REVIEW,   rule-out",
      "anorectal-cancer,         CONTRAINDICATED, none,        REVIEW,   rule-out",
      "proctitis-ibd,            CONTRAINDICATED, none,        REVIEW,   rule-out",
      "spinal-cord-injury,       REVIEW,          acknowledge, ELIGIBLE, ",
      "reduced-sensation,        REVIEW,          acknowledge, ELIGIBLE, ",
      "urinary-catheter,         REVIEW,          acknowledge, ELIGIBLE, ",
      "anal-stenosis-prolapse,   REVIEW,          acknowledge, ELIGIBLE, ",
      "ibd-remission,            REVIEW,          acknowledge, ELIGIBLE, "})
  void theNewItemsDecideAsTheirSeveritiesSay(String linkId, Outcome yes, String yesNeeds, Outcome unknown,
      String unknownNeeds) {
    Decision onYes = decideWith(linkId, YesNoUnknown.YES);
    Decision onUnknown = decideWith(linkId, YesNoUnknown.UNKNOWN);

    assertThat(onYes.outcome()).isEqualTo(yes);
    assertThat(onYes.reasons()).singleElement().satisfies(reason -> {
      assertThat(reason.linkId()).isEqualTo(linkId);
      assertThat(reason.needed().code()).isEqualTo(yesNeeds);
      assertThat(reason.rationale()).isNotBlank();
    });
    assertThat(onUnknown.outcome()).isEqualTo(unknown);
    if (unknownNeeds == null) {
      assertThat(onUnknown.reasons()).isEmpty();
    } else {
      assertThat(onUnknown.reasons()).singleElement().satisfies(reason -> {
        assertThat(reason.needed().code()).isEqualTo(unknownNeeds);
        assertThat(reason.ruleOutReasons()).isEqualTo(questionnaire.ruleOutReasons()).isNotEmpty();
      });
    }
  }

  static Stream<String> absoluteItems() {
    return ShippedContent.questionnaire().items().stream()
        .filter(item -> item.severity() == Severity.ABSOLUTE).map(ContraindicationItem::linkId);
  }

  // Issue 22, section 4: "the clinician must record a reason from a CodeSystem in content/ (what
  // was done to rule it out today); any other reason, or none, is a 422 naming the linkId."
  @ParameterizedTest
  @MethodSource("absoluteItems")
  void anAbsoluteDontKnowIsReleasedOnlyWithARuleOutReasonOfTheItem(String linkId) {
    Decision decision = decideWith(linkId, YesNoUnknown.UNKNOWN);
    Coded examined = questionnaire.ruleOutReasons().get(0);

    assertThat(decision.outcome()).isEqualTo(Outcome.REVIEW);
    assertThat(decision.itemsToRuleOut()).containsExactly(linkId);
    assertThat(decision.itemsToAcknowledge()).isEmpty();
    assertThat(decision.unmetForRelease(java.util.Set.of(linkId), Map.of())).singleElement().asString()
        .startsWith(linkId + ": answered \"don't know\" on an absolute item; record what was done today");
    assertThat(decision.unmetForRelease(java.util.Set.of(), Map.of(linkId, new Coded(examined.system(), "guessed", null))))
        .singleElement().asString().startsWith(linkId + ": " + examined.system() + "|guessed is not a rule-out reason");
    assertThat(decision.unmetForRelease(java.util.Set.of(), Map.of(linkId, new Coded("http://example.org/other",
        examined.code(), null)))).as("the code of another system").hasSize(1);
    assertThat(decision.unmetForRelease(java.util.Set.of(), Map.of(linkId, examined))).isEmpty();
  }

  private Decision decideWith(String linkId, Coded answer) {
    Map<String, Coded> answers = eligibleAnswers(questionnaire);
    answers.put(linkId, answer);
    return check.decide(questionnaire, new Answers(answers));
  }

  // Issue 4: "Chart beats the form".
  @Test
  void chartEvidenceOfAnAbsoluteItemOutweighsANoAndNamesTheRecord() {
    Map<String, Coded> answers = eligibleAnswers(questionnaire);
    Evidence acute = new Evidence("Condition/7", "http://hl7.org/fhir/sid/icd-10-cm|N41.0", "Acute prostatitis", "2026-11-18");

    Decision decision = check.decide(questionnaire, new Answers(answers), Map.of("acute-infection", List.of(acute)));

    assertThat(decision.outcome()).isEqualTo(Outcome.CONTRAINDICATED);
    assertThat(decision.decisiveReasons()).singleElement().satisfies(reason -> {
      assertThat(reason.linkId()).isEqualTo("acute-infection");
      assertThat(reason.finding()).isEqualTo("chart");
      assertThat(reason.evidence()).containsExactly(acute);
    });
  }

  /**
   * Every pair of items, each answered yes, don't-know or left out, on top of an otherwise eligible
   * response: the outcome is the strongest class either answer raises alone, in the order
   * CONTRAINDICATED, INCOMPLETE, REVIEW, ELIGIBLE.
   */
  @Test
  void everyPairOfAnswersGivesTheStrongerOfTheirOutcomes() {
    List<Coded> variants = java.util.Arrays.asList(YesNoUnknown.YES, YesNoUnknown.UNKNOWN, null);
    List<ContraindicationItem> items = questionnaire.items().stream()
        .filter(item -> item.option(YesNoUnknown.YES.system(), YesNoUnknown.YES.code()).isPresent())
        .toList();
    int checked = 0;
    for (ContraindicationItem first : items) {
      for (ContraindicationItem second : items) {
        if (first == second) {
          continue;
        }
        for (Coded a : variants) {
          for (Coded b : variants) {
            Map<String, Coded> answers = eligibleAnswers(questionnaire);
            apply(answers, first, a);
            apply(answers, second, b);
            Outcome expected = stronger(alone(first, a), alone(second, b));

            assertThat(check.decide(questionnaire, new Answers(answers)).outcome())
                .as("%s=%s, %s=%s", first.linkId(), a, second.linkId(), b).isEqualTo(expected);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(items.size() * (items.size() - 1) * 9);
  }

  private static void apply(Map<String, Coded> answers, ContraindicationItem item, Coded answer) {
    if (answer == null || item.option(answer.system(), answer.code()).isEmpty()) {
      answers.remove(item.linkId());
    } else {
      answers.put(item.linkId(), answer);
    }
  }

  private static Outcome alone(ContraindicationItem item, Coded answer) {
    if (answer == null || item.option(answer.system(), answer.code()).isEmpty()) {
      return item.required() ? Outcome.INCOMPLETE : Outcome.ELIGIBLE;
    }
    return expectedFor(item, answer);
  }

  private static Outcome stronger(Outcome a, Outcome b) {
    return a.ordinal() <= b.ordinal() ? a : b;
  }
}
