package org.prostateed.fhir;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.prostateed.content.Coded;
import org.prostateed.engine.ChartCondition;

/** Reads an encounter and the Conditions linked to it, and turns them into engine records. */
final class ChartReader {

  /** An encounter, its patient and the Conditions linked to it either way. */
  record EncounterChart(Encounter encounter, String patientReference, List<ChartCondition> linkedConditions) {}

  private final FhirStore store;

  ChartReader(FhirStore store) {
    this.store = store;
  }

  EncounterChart load(String encounterId) {
    Encounter encounter = store.read(Encounter.class, encounterId)
        .orElseThrow(() -> new ResourceNotFoundException("Encounter/" + encounterId + " does not exist"));
    String patient = encounter.getSubject().getReference();
    if (patient == null || !patient.startsWith("Patient/")) {
      throw Outcomes.unprocessable("Encounter/" + encounterId + " has no Patient subject");
    }
    Map<String, Condition> linked = new LinkedHashMap<>();
    for (Condition condition : store.search(Condition.class, "encounter=Encounter/" + encounterId)) {
      linked.put(reference(condition), condition);
    }
    List<String> missing = new ArrayList<>();
    for (Encounter.DiagnosisComponent diagnosis : encounter.getDiagnosis()) {
      String ref = diagnosis.getCondition().getReferenceElement().toUnqualifiedVersionless().getValue();
      if (ref != null && ref.startsWith("Condition/") && !linked.containsKey(ref)) {
        missing.add(ref.substring("Condition/".length()));
      }
    }
    if (!missing.isEmpty()) {
      for (Condition condition : store.search(Condition.class, "_id=" + String.join(",", missing))) {
        linked.put(reference(condition), condition);
      }
    }
    List<ChartCondition> conditions = linked.values().stream()
        .filter(condition -> patient.equals(condition.getSubject().getReference()))
        .map(ChartReader::toChart)
        .toList();
    return new EncounterChart(encounter, patient, conditions);
  }

  static ChartCondition toChart(Condition condition) {
    List<Coded> codes = condition.getCode().getCoding().stream()
        .filter(coding -> coding.hasSystem() && coding.hasCode())
        .map(coding -> new Coded(coding.getSystem(), coding.getCode(), coding.getDisplay()))
        .toList();
    String recorded = condition.hasRecordedDateElement()
        ? condition.getRecordedDateElement().getValueAsString()
        : condition.hasOnsetDateTimeType() ? condition.getOnsetDateTimeType().getValueAsString() : null;
    return new ChartCondition(reference(condition), codes,
        statusCode(condition.getClinicalStatus()), statusCode(condition.getVerificationStatus()), recorded);
  }

  private static String statusCode(CodeableConcept status) {
    return status.getCoding().stream().filter(Coding::hasCode).map(Coding::getCode).findFirst().orElse(null);
  }

  static String reference(Condition condition) {
    return "Condition/" + condition.getIdElement().getIdPart();
  }
}
