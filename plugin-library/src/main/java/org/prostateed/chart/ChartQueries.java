package org.prostateed.chart;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.prostateed.content.CodeSet;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;
import org.prostateed.content.PrefillRule;

/**
 * The narrowest searches of a patient's chart that the content's rules need, built once from the
 * library: Conditions, allergies and procedures by the codes of the value sets their rules name
 * (an ICD-10-CM rule "with descendants" searched by the codes its value set lists in its
 * expansion, since a token search matches codes exactly), observations by code, final, newest
 * first, one; medicines by status, since their rules also match ingredient names in the text; a
 * date floor where a rule looks back over a window. Conditions are not filtered by status: one
 * without a clinical status qualifies, and a resolved one counts for a windowed rule.
 */
public final class ChartQueries {

  private final ContentLibrary library;
  private final List<ChartSearch> searches;

  public ChartQueries(ContentLibrary library) {
    this.library = library;
    Set<String> observed = new LinkedHashSet<>();
    eachCodeSet(rule -> rule.source() == PrefillRule.Source.OBSERVATION, set -> observed.add(set.url()));
    if (observed.size() > 1) {
      // The observation search asks for the newest result only; it answers one rule's question.
      throw new IllegalArgumentException("the observation rules read " + observed.size() + " value sets " + observed
          + ": the newest-result search serves one; give each its own search before adding another");
    }
    List<ChartSearch> all = new ArrayList<>();
    String patient = ChartSearch.PATIENT;
    all.add(new ChartSearch("conditions", Condition.class, List.of(ChartSearch.Param.of("patient", patient),
        ChartSearch.Param.of("code", conditionCodes())), false));
    all.add(new ChartSearch("observations", Observation.class, List.of(ChartSearch.Param.of("patient", patient),
        ChartSearch.Param.of("code", codes(rule -> rule.source() == PrefillRule.Source.OBSERVATION)),
        ChartSearch.Param.of("status", "final,amended,corrected"), ChartSearch.Param.of("_sort", "-date"),
        ChartSearch.Param.of("_count", "1")), true));
    all.add(new ChartSearch("medicationRequests", MedicationRequest.class,
        List.of(ChartSearch.Param.of("patient", patient), ChartSearch.Param.of("status", "active")), false));
    all.add(new ChartSearch("medicationStatements", MedicationStatement.class,
        List.of(ChartSearch.Param.of("patient", patient), ChartSearch.Param.of("status", "active,intended")), false));
    all.add(new ChartSearch("allergies", AllergyIntolerance.class, List.of(ChartSearch.Param.of("patient", patient),
        ChartSearch.Param.of("code", codes(rule -> rule.source() == PrefillRule.Source.ALLERGY))), false));
    all.add(new ChartSearch("procedures", Procedure.class, List.of(ChartSearch.Param.of("patient", patient),
        ChartSearch.Param.of("code", codes(rule -> rule.source() == PrefillRule.Source.PROCEDURE))), false));
    this.searches = List.copyOf(all);
  }

  /** Every chart search, in prefetch order. */
  public List<ChartSearch> all() {
    return searches;
  }

  /** The searches that read records of these kinds. */
  public List<ChartSearch> reading(Set<PrefillRule.Record> kinds) {
    List<ChartSearch> wanted = new ArrayList<>();
    for (ChartSearch search : searches) {
      if (kinds.contains(kindOf(search))) {
        wanted.add(search);
      }
    }
    return wanted;
  }

  /**
   * A search as the store runs it today: with the date floor of its kind's windows (the longest
   * window of any item whose rules read it), where it has one.
   */
  public ChartSearch withFloor(ChartSearch search, LocalDate today) {
    LocalDate floor = switch (kindOf(search)) {
      case OBSERVATION -> today.minusMonths(library.settings().psaWindowMonths());
      case PROCEDURE -> today.minusWeeks(longestWindow(PrefillRule.Source.PROCEDURE));
      default -> null;
    };
    if (floor == null) {
      return search;
    }
    List<ChartSearch.Param> params = new ArrayList<>(search.params());
    params.add(new ChartSearch.Param("date", "ge" + floor, true));
    return new ChartSearch(search.key(), search.type(), params, search.latestOnly());
  }

  private int longestWindow(PrefillRule.Source source) {
    int weeks = 0;
    for (ContraindicationQuestionnaire questionnaire : library.questionnaires()) {
      for (ContraindicationItem item : questionnaire.items()) {
        if (item.prefillRules().stream().anyMatch(rule -> rule.source() == source)) {
          weeks = Math.max(weeks, library.settings().windowWeeks(item.linkId()).orElse(0));
        }
      }
    }
    return weeks;
  }

  static PrefillRule.Record kindOf(ChartSearch search) {
    return switch (search.key()) {
      case "conditions" -> PrefillRule.Record.CONDITION;
      case "observations" -> PrefillRule.Record.OBSERVATION;
      case "medicationRequests", "medicationStatements" -> PrefillRule.Record.MEDICATION;
      case "allergies" -> PrefillRule.Record.ALLERGY;
      case "procedures" -> PrefillRule.Record.PROCEDURE;
      default -> throw new IllegalArgumentException("no chart search " + search.key());
    };
  }

  /**
   * The codes of Conditions: those that qualify an encounter, and those any Condition rule reads.
   * Written without their system: ICD-10-CM codes begin with a letter and SNOMED CT codes are
   * digits only, so neither is mistaken for the other, and the list of some 550 codes stays near
   * 5 KB as a URL, inside the 8 KB many servers allow. The mapping checks each code's system.
   */
  private String conditionCodes() {
    Set<String> codes = new LinkedHashSet<>();
    for (EducationItem item : library.items()) {
      item.qualifying().forEach(set -> codes.addAll(bare(library.codeSet(set.valueSetUrl()))));
    }
    eachCodeSet(rule -> rule.source().records() == PrefillRule.Record.CONDITION, set -> codes.addAll(bare(set)));
    return String.join(",", codes);
  }

  private static List<String> bare(CodeSet set) {
    return set.searchCodes().stream().map(CodeSet.Rule::code).toList();
  }

  private String codes(Predicate<PrefillRule> rules) {
    Set<String> codes = new LinkedHashSet<>();
    eachCodeSet(rules, set -> set.searchCodes().forEach(code -> codes.add(code.system() + "|" + code.code())));
    return String.join(",", codes);
  }

  private void eachCodeSet(Predicate<PrefillRule> rules, java.util.function.Consumer<CodeSet> action) {
    for (ContraindicationQuestionnaire questionnaire : library.questionnaires()) {
      for (ContraindicationItem item : questionnaire.items()) {
        for (PrefillRule rule : item.prefillRules()) {
          if (rules.test(rule)) {
            action.accept(library.codeSet(rule.valueSetUrl()));
          }
        }
      }
    }
  }
}
