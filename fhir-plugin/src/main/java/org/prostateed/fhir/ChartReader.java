package org.prostateed.fhir;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.prostateed.content.PrefillRule;
import org.prostateed.engine.ChartCondition;
import org.prostateed.engine.ChartEntry;

/** Reads an encounter and the Conditions linked to it, and turns them into engine records. */
public final class ChartReader {

  /**
   * An encounter, its patient, the Conditions linked to it either way, and all of the patient's
   * Conditions as FHIR JSON (written once, for {@link ChartJson}).
   */
  record EncounterChart(Encounter encounter, String patientReference, List<ChartCondition> linkedConditions,
      List<JsonNode> patientConditions) {}

  private final FhirStore store;

  ChartReader(FhirStore store) {
    this.store = store;
  }

  /**
   * The encounter and its patient's Conditions, in one read and one search: the Conditions linked
   * to the encounter (by {@code Condition.encounter} or {@code Encounter.diagnosis}) are picked
   * from the patient's, so a Condition of another patient is never linked, and the chart check
   * reuses the patient's Conditions instead of searching them again.
   */
  EncounterChart load(String encounterId) {
    Encounter encounter = store.read(Encounter.class, encounterId)
        .orElseThrow(() -> new ResourceNotFoundException("Encounter/" + encounterId + " does not exist"));
    String patient = encounter.getSubject().getReference();
    if (patient == null || !patient.startsWith("Patient/")) {
      throw Outcomes.unprocessable("Encounter/" + encounterId + " has no Patient subject");
    }
    Set<String> diagnoses = new HashSet<>();
    for (Encounter.DiagnosisComponent diagnosis : encounter.getDiagnosis()) {
      String ref = diagnosis.getCondition().getReferenceElement().toUnqualifiedVersionless().getValue();
      if (ref != null) {
        diagnoses.add(ref);
      }
    }
    String self = "Encounter/" + encounterId;
    List<JsonNode> patientConditions = store.search(Condition.class, "patient=" + patient).stream()
        .map(ChartJson::tree)
        .filter(condition -> patient.equals(ChartJson.text(condition.path("subject").path("reference"))))
        .toList();
    List<ChartCondition> linked = patientConditions.stream()
        .filter(condition -> diagnoses.contains(ChartJson.reference(condition))
            || self.equals(ChartJson.localReference(condition.path("encounter"))))
        .map(ChartJson::condition)
        .toList();
    return new EncounterChart(encounter, patient, linked, patientConditions);
  }

  /** The encounter's patient's records of the given kinds, the Conditions from {@code chart} and the rest searched. */
  List<ChartEntry> entries(EncounterChart chart, Set<PrefillRule.Record> kinds) {
    Set<PrefillRule.Record> searched = EnumSet.noneOf(PrefillRule.Record.class);
    searched.addAll(kinds);
    searched.remove(PrefillRule.Record.CONDITION);
    List<ChartEntry> entries = new ArrayList<>(entries(chart.patientReference(), searched));
    if (kinds.contains(PrefillRule.Record.CONDITION)) {
      entries.addAll(ChartJson.entries(chart.patientConditions()));
    }
    return entries;
  }

  /** The patient's records of the given kinds only (one search per kind). */
  List<ChartEntry> entries(String patientReference, Set<PrefillRule.Record> kinds) {
    String patient = "patient=" + patientReference;
    List<Resource> records = new ArrayList<>();
    for (PrefillRule.Record kind : kinds) {
      switch (kind) {
        case CONDITION -> records.addAll(store.search(Condition.class, patient));
        case OBSERVATION -> records.addAll(store.search(Observation.class, patient));
        case MEDICATION -> {
          records.addAll(store.search(MedicationRequest.class, patient));
          records.addAll(store.search(MedicationStatement.class, patient));
        }
        case ALLERGY -> records.addAll(store.search(AllergyIntolerance.class, patient));
        case PROCEDURE -> records.addAll(store.search(Procedure.class, patient));
      }
    }
    return toEntries(records);
  }

  /** The records pre-fill can read, as engine entries ({@link ChartJson}); other resource types are ignored. */
  public static List<ChartEntry> toEntries(List<? extends Resource> records) {
    return ChartJson.entries(records.stream().map(ChartJson::tree).toList());
  }
}
