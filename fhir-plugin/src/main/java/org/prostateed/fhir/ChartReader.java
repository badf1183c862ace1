package org.prostateed.fhir;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.time.LocalDate;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.prostateed.content.Coded;
import org.prostateed.content.PrefillRule;
import org.prostateed.engine.ChartCondition;
import org.prostateed.engine.ChartEntry;

/** Reads an encounter and the Conditions linked to it, and turns them into engine records. */
public final class ChartReader {

  /** An encounter, its patient, the Conditions linked to it either way, and all of the patient's Conditions. */
  record EncounterChart(Encounter encounter, String patientReference, List<ChartCondition> linkedConditions,
      List<Condition> patientConditions) {}

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
    List<Condition> patientConditions = store.search(Condition.class, "patient=" + patient).stream()
        .filter(condition -> patient.equals(condition.getSubject().getReference()))
        .toList();
    List<ChartCondition> linked = patientConditions.stream()
        .filter(condition -> diagnoses.contains(reference(condition)) || self.equals(
            condition.getEncounter().getReferenceElement().toUnqualifiedVersionless().getValue()))
        .map(ChartReader::toChart)
        .toList();
    return new EncounterChart(encounter, patient, linked, patientConditions);
  }

  /** The encounter's patient's records of the given kinds, the Conditions from {@code chart} and the rest searched. */
  List<ChartEntry> entries(EncounterChart chart, Set<PrefillRule.Source> sources) {
    Set<PrefillRule.Source> searched = EnumSet.noneOf(PrefillRule.Source.class);
    searched.addAll(sources);
    searched.remove(PrefillRule.Source.CONDITION);
    List<ChartEntry> entries = new ArrayList<>(entries(chart.patientReference(), searched));
    if (sources.contains(PrefillRule.Source.CONDITION)) {
      entries.addAll(toEntries(chart.patientConditions()));
    }
    return entries;
  }

  /** The patient's records of the given kinds only (one search per kind). */
  List<ChartEntry> entries(String patientReference, Set<PrefillRule.Source> sources) {
    String patient = "patient=" + patientReference;
    List<Resource> records = new ArrayList<>();
    for (PrefillRule.Source source : sources) {
      switch (source) {
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

  /** The records pre-fill can read, as engine entries; other resource types are ignored. */
  public static List<ChartEntry> toEntries(List<? extends Resource> records) {
    List<ChartEntry> entries = new ArrayList<>();
    for (Resource record : records) {
      toEntry(record).ifPresent(entries::add);
    }
    return entries;
  }

  private static Optional<ChartEntry> toEntry(Resource record) {
    if (record instanceof Condition condition) {
      ChartCondition chart = toChart(condition);
      return Optional.of(new ChartEntry(PrefillRule.Source.CONDITION, chart.reference(), chart.codes(),
          condition.getCode().getText(), chart.isCurrentAndConfirmed(), date(chart.recorded()), Optional.empty()));
    }
    if (record instanceof Observation observation) {
      boolean current = Set.of("final", "amended", "corrected").contains(observation.hasStatus() ? observation.getStatus().toCode() : "");
      Optional<ChartEntry.Quantity> quantity = observation.hasValueQuantity()
          && observation.getValueQuantity().hasValue()
          ? Optional.of(new ChartEntry.Quantity(observation.getValueQuantity().getValue().doubleValue(),
              observation.getValueQuantity().hasCode() ? observation.getValueQuantity().getCode()
                  : observation.getValueQuantity().getUnit()))
          : Optional.empty();
      String effective = observation.hasEffectiveDateTimeType()
          ? observation.getEffectiveDateTimeType().getValueAsString()
          : observation.hasEffectivePeriod() ? observation.getEffectivePeriod().getStartElement().getValueAsString()
          : observation.hasIssued() ? observation.getIssuedElement().getValueAsString() : null;
      return Optional.of(new ChartEntry(PrefillRule.Source.OBSERVATION, reference(observation),
          codes(observation.getCode()), observation.getCode().getText(), current, date(effective), quantity));
    }
    if (record instanceof MedicationRequest request) {
      boolean current = request.hasStatus() && "active".equals(request.getStatus().toCode());
      CodeableConcept medication = request.hasMedicationCodeableConcept()
          ? request.getMedicationCodeableConcept() : new CodeableConcept().setText(request.getMedicationReference().getDisplay());
      return Optional.of(new ChartEntry(PrefillRule.Source.MEDICATION, reference(request), codes(medication),
          text(medication), current, date(request.getAuthoredOnElement().getValueAsString()), Optional.empty()));
    }
    if (record instanceof MedicationStatement statement) {
      boolean current = Set.of("active", "intended").contains(statement.hasStatus() ? statement.getStatus().toCode() : "");
      CodeableConcept medication = statement.hasMedicationCodeableConcept()
          ? statement.getMedicationCodeableConcept()
          : new CodeableConcept().setText(statement.getMedicationReference().getDisplay());
      String when = statement.hasEffectiveDateTimeType() ? statement.getEffectiveDateTimeType().getValueAsString()
          : statement.getDateAssertedElement().getValueAsString();
      return Optional.of(new ChartEntry(PrefillRule.Source.MEDICATION, reference(statement), codes(medication),
          text(medication), current, date(when), Optional.empty()));
    }
    if (record instanceof AllergyIntolerance allergy) {
      String clinical = statusCode(allergy.getClinicalStatus());
      String verification = statusCode(allergy.getVerificationStatus());
      boolean current = (clinical == null || "active".equals(clinical))
          && !"refuted".equals(verification) && !"entered-in-error".equals(verification);
      return Optional.of(new ChartEntry(PrefillRule.Source.ALLERGY, reference(allergy), codes(allergy.getCode()),
          allergy.getCode().getText(), current, date(allergy.getRecordedDateElement().getValueAsString()),
          Optional.empty()));
    }
    if (record instanceof Procedure procedure) {
      boolean current = Set.of("completed", "in-progress").contains(procedure.hasStatus() ? procedure.getStatus().toCode() : "");
      String performed = procedure.hasPerformedDateTimeType()
          ? procedure.getPerformedDateTimeType().getValueAsString()
          : procedure.hasPerformedPeriod() ? procedure.getPerformedPeriod().getEndElement().getValueAsString() : null;
      return Optional.of(new ChartEntry(PrefillRule.Source.PROCEDURE, reference(procedure), codes(procedure.getCode()),
          procedure.getCode().getText(), current, date(performed), Optional.empty()));
    }
    return Optional.empty();
  }

  private static List<Coded> codes(CodeableConcept concept) {
    return concept.getCoding().stream()
        .filter(coding -> coding.hasSystem() && coding.hasCode())
        .map(coding -> new Coded(coding.getSystem(), coding.getCode(), coding.getDisplay()))
        .toList();
  }

  private static String text(CodeableConcept concept) {
    if (concept.hasText()) {
      return concept.getText();
    }
    return concept.getCoding().stream().map(Coding::getDisplay).filter(d -> d != null).findFirst().orElse(null);
  }

  /** The date part of a FHIR date or dateTime, or null when absent or unreadable. */
  static LocalDate date(String fhirDate) {
    if (fhirDate == null || fhirDate.length() < 10) {
      return null;
    }
    try {
      return LocalDate.parse(fhirDate.substring(0, 10));
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static String reference(Resource resource) {
    return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
  }

  public static ChartCondition toChart(Condition condition) {
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
