package org.prostateed.fhir;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Resource;
import org.prostateed.chart.ChartQueries;
import org.prostateed.chart.ChartRecords;
import org.prostateed.chart.ChartSearch;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.PrefillRule;
import org.prostateed.engine.ChartCondition;
import org.prostateed.engine.ChartEntry;

/**
 * Reads an encounter and its patient's chart from a store, by the narrowest searches the content
 * needs ({@link ChartQueries}), and maps them to the engine's records ({@link ChartRecords}).
 */
final class ChartReader {

  /**
   * An encounter, its patient, the qualifying-or-relevant Conditions of the patient (those the
   * Condition search finds), the ones linked to the encounter either way, and whether every
   * search read was read to its end.
   */
  record EncounterChart(Encounter encounter, String patientReference, List<ChartCondition> linkedConditions,
      List<Condition> patientConditions, boolean complete) {}

  /** The patient's records of some kinds, and whether every search behind them was read whole. */
  record Records(List<ChartEntry> entries, boolean complete) {}

  private final FhirStore store;
  private final ChartQueries queries;

  ChartReader(FhirStore store, ChartQueries queries) {
    this.store = store;
    this.queries = queries;
  }

  /**
   * The encounter, and its patient's Conditions in one search by the codes that matter: a
   * Condition linked to the encounter (by {@code Condition.encounter} or {@code
   * Encounter.diagnosis}) is picked from them, so a Condition of another patient is never linked,
   * and the chart check reuses them instead of searching again.
   */
  EncounterChart load(String encounterId) {
    Encounter encounter = store.read(Encounter.class, encounterId)
        .orElseThrow(() -> Outcomes.notFound("Encounter/" + encounterId + " does not exist"));
    String patient = encounter.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue();
    if (patient == null || !patient.startsWith("Patient/")) {
      throw Outcomes.unprocessable("Encounter/" + encounterId + " has no Patient subject");
    }
    ChartSearch conditions = queries.reading(Set.of(PrefillRule.Record.CONDITION)).get(0);
    FhirStore.Found<Condition> found = store.find(Condition.class, conditions.query(patientId(patient), encounterId));
    List<Condition> ofPatient = ChartRecords.ofPatient(found.resources(), patient);
    List<ChartCondition> linked = ChartRecords.linkedTo(encounter, ofPatient);
    return new EncounterChart(encounter, patient, linked, ofPatient, found.complete());
  }

  /** The encounter's patient's records of the given kinds: the Conditions from {@code chart}, the rest searched. */
  Records entries(EncounterChart chart, Set<PrefillRule.Record> kinds, LocalDate today) {
    Set<PrefillRule.Record> searched = new HashSet<>(kinds);
    searched.remove(PrefillRule.Record.CONDITION);
    Records others = entries(chart.patientReference(), searched, today);
    List<ChartEntry> entries = new ArrayList<>(others.entries());
    if (kinds.contains(PrefillRule.Record.CONDITION)) {
      entries.addAll(ChartRecords.entries(chart.patientConditions()));
    }
    return new Records(entries, others.complete() && chart.complete());
  }

  /** The patient's records of the given kinds only, one narrow search each. */
  Records entries(String patientReference, Set<PrefillRule.Record> kinds, LocalDate today) {
    List<Resource> records = new ArrayList<>();
    boolean complete = true;
    for (ChartSearch search : queries.reading(kinds)) {
      ChartSearch dated = queries.withFloor(search, today);
      FhirStore.Found<? extends Resource> found = store.find(search.type(), dated.query(patientId(patientReference), null));
      records.addAll(found.resources());
      complete &= found.complete() || search.latestOnly();
    }
    return new Records(ChartRecords.entries(records), complete);
  }

  /** The kinds of record the items' pre-fill rules read: no other kind is searched for them. */
  static Set<PrefillRule.Record> readBy(java.util.Collection<ContraindicationItem> items) {
    return items.stream()
        .flatMap(item -> item.prefillRules().stream())
        .map(rule -> rule.source().records())
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(PrefillRule.Record.class)));
  }

  private static String patientId(String patientReference) {
    return patientReference.substring("Patient/".length());
  }
}
