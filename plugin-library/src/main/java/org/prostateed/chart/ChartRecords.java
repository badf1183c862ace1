package org.prostateed.chart;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.prostateed.content.Coded;
import org.prostateed.content.PrefillRule;
import org.prostateed.engine.ChartCondition;
import org.prostateed.engine.ChartEntry;

/**
 * The one mapping from FHIR R4 chart records (HAPI's model, whether read from a store or parsed
 * from CDS prefetch) to the engine's records. Whether a record is current, confirmed, and when it
 * happened is decided here and nowhere else.
 */
public final class ChartRecords {

  private static final Set<String> FINAL_OBSERVATION = Set.of("final", "amended", "corrected");
  private static final Set<String> CURRENT_STATEMENT = Set.of("active", "intended");
  private static final Set<String> DONE_PROCEDURE = Set.of("completed", "in-progress");

  private ChartRecords() {}

  /** The records pre-fill can read, as engine entries; other resource types are left out. */
  public static List<ChartEntry> entries(List<? extends Resource> records) {
    List<ChartEntry> entries = new ArrayList<>();
    for (Resource record : records) {
      entry(record).ifPresent(entries::add);
    }
    return entries;
  }

  static Optional<ChartEntry> entry(Resource record) {
    String reference = reference(record);
    if (record instanceof Condition condition) {
      ChartCondition mapped = condition(condition);
      return Optional.of(new ChartEntry(PrefillRule.Record.CONDITION, reference, mapped.codes(),
          condition.getCode().getText(), mapped.isCurrentAndConfirmed(), mapped.isConfirmed(), date(recorded(condition)),
          date(condition.hasAbatementDateTimeType() ? condition.getAbatementDateTimeType()
              : condition.hasAbatementPeriod() ? condition.getAbatementPeriod().getEndElement() : null),
          Optional.empty()));
    }
    if (record instanceof Observation observation) {
      boolean done = observation.hasStatus() && FINAL_OBSERVATION.contains(observation.getStatus().toCode());
      Type effective = observation.getEffective();
      BaseDateTimeType when = effective instanceof BaseDateTimeType dateTime ? dateTime
          : observation.hasEffectivePeriod() ? observation.getEffectivePeriod().getStartElement()
          : observation.getIssuedElement();
      return Optional.of(new ChartEntry(PrefillRule.Record.OBSERVATION, reference, codes(observation.getCode()),
          observation.getCode().getText(), done, done, date(when), null, quantity(observation)));
    }
    if (record instanceof MedicationRequest request) {
      boolean active = request.getStatus() == MedicationRequest.MedicationRequestStatus.ACTIVE;
      BaseDateTimeType started = request.getDispenseRequest().getValidityPeriod().hasStart()
          ? request.getDispenseRequest().getValidityPeriod().getStartElement() : request.getAuthoredOnElement();
      return Optional.of(new ChartEntry(PrefillRule.Record.MEDICATION, reference, medicationCodes(request.getMedication()),
          medicationText(request.getMedication()), active, active, date(started), null, Optional.empty()));
    }
    if (record instanceof MedicationStatement statement) {
      boolean current = statement.hasStatus() && CURRENT_STATEMENT.contains(statement.getStatus().toCode());
      Type effective = statement.getEffective();
      BaseDateTimeType started = effective instanceof BaseDateTimeType dateTime ? dateTime
          : statement.hasEffectivePeriod() ? statement.getEffectivePeriod().getStartElement()
          : statement.getDateAssertedElement();
      return Optional.of(new ChartEntry(PrefillRule.Record.MEDICATION, reference,
          medicationCodes(statement.getMedication()), medicationText(statement.getMedication()), current, current,
          date(started), null, Optional.empty()));
    }
    if (record instanceof AllergyIntolerance allergy) {
      String clinical = statusCode(allergy.getClinicalStatus());
      String verification = statusCode(allergy.getVerificationStatus());
      boolean current = (clinical == null || "active".equals(clinical))
          && !"refuted".equals(verification) && !"entered-in-error".equals(verification);
      return Optional.of(new ChartEntry(PrefillRule.Record.ALLERGY, reference, codes(allergy.getCode()),
          allergy.getCode().getText(), current, current, date(allergy.getRecordedDateElement()), null, Optional.empty()));
    }
    if (record instanceof Procedure procedure) {
      boolean done = procedure.hasStatus() && DONE_PROCEDURE.contains(procedure.getStatus().toCode());
      BaseDateTimeType performed = procedure.getPerformed() instanceof BaseDateTimeType dateTime ? dateTime
          : procedure.hasPerformedPeriod() ? procedure.getPerformedPeriod().getEndElement() : null;
      return Optional.of(new ChartEntry(PrefillRule.Record.PROCEDURE, reference, codes(procedure.getCode()),
          procedure.getCode().getText(), done, done, date(performed), null, Optional.empty()));
    }
    return Optional.empty();
  }

  /** A Condition as the engine sees it; its date is the recorded date, or else the onset. */
  public static ChartCondition condition(Condition condition) {
    BaseDateTimeType recorded = recorded(condition);
    return new ChartCondition(reference(condition), codes(condition.getCode()),
        statusCode(condition.getClinicalStatus()), statusCode(condition.getVerificationStatus()),
        recorded == null ? null : recorded.getValueAsString());
  }

  /** The Conditions that belong to the patient ({@code Patient/id}): a search result may hold others. */
  public static List<Condition> ofPatient(List<Condition> conditions, String patientReference) {
    return conditions.stream()
        .filter(condition -> patientReference.equals(local(condition.getSubject())))
        .toList();
  }

  /**
   * The Conditions of the encounter's patient linked to it, by {@code Condition.encounter} or by
   * {@code Encounter.diagnosis}: a Condition of another patient is never linked.
   */
  public static List<ChartCondition> linkedTo(Encounter encounter, List<Condition> conditions) {
    String patient = local(encounter.getSubject());
    String self = encounter.fhirType() + "/" + encounter.getIdElement().getIdPart();
    Set<String> diagnoses = new HashSet<>();
    encounter.getDiagnosis().forEach(diagnosis -> diagnoses.add(local(diagnosis.getCondition())));
    return ofPatient(conditions, patient == null ? "" : patient).stream()
        .filter(condition -> diagnoses.contains(reference(condition)) || self.equals(local(condition.getEncounter())))
        .map(ChartRecords::condition)
        .toList();
  }

  private static String local(org.hl7.fhir.r4.model.Reference reference) {
    return reference.getReferenceElement().toUnqualifiedVersionless().getValue();
  }

  /** {@code Type/id} of a resource, without base URL or version. */
  public static String reference(Resource resource) {
    return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
  }

  private static BaseDateTimeType recorded(Condition condition) {
    if (condition.hasRecordedDate()) {
      return condition.getRecordedDateElement();
    }
    if (condition.hasOnsetDateTimeType()) {
      return condition.getOnsetDateTimeType();
    }
    return condition.hasOnsetPeriod() ? condition.getOnsetPeriod().getStartElement() : null;
  }

  /**
   * The calendar date of a FHIR date or dateTime as written (in its own time zone), or null when
   * absent or less precise than a day.
   */
  static LocalDate date(BaseDateTimeType value) {
    if (value == null || value.getValue() == null
        || value.getPrecision().ordinal() < ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal()) {
      return null;
    }
    return LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay());
  }

  private static Optional<ChartEntry.Quantity> quantity(Observation observation) {
    if (!observation.hasValueQuantity() || !observation.getValueQuantity().hasValue()) {
      return Optional.empty();
    }
    Quantity value = observation.getValueQuantity();
    return Optional.of(new ChartEntry.Quantity(value.getValue().doubleValue(), value.hasCode() ? value.getCode()
        : value.getUnit()));
  }

  private static List<Coded> codes(CodeableConcept concept) {
    List<Coded> codes = new ArrayList<>();
    for (Coding coding : concept.getCoding()) {
      if (coding.hasSystem() && coding.hasCode()) {
        codes.add(new Coded(coding.getSystem(), coding.getCode(), coding.getDisplay()));
      }
    }
    return codes;
  }

  private static List<Coded> medicationCodes(Type medication) {
    return medication instanceof CodeableConcept concept ? codes(concept) : List.of();
  }

  /** The medicine's text, its first coding's display, or the referenced Medication's display. */
  private static String medicationText(Type medication) {
    if (medication instanceof CodeableConcept concept) {
      if (concept.hasText()) {
        return concept.getText();
      }
      return concept.getCoding().stream().filter(Coding::hasDisplay).map(Coding::getDisplay).findFirst().orElse(null);
    }
    return medication instanceof org.hl7.fhir.r4.model.Reference reference && reference.hasDisplay()
        ? reference.getDisplay() : null;
  }

  private static String statusCode(CodeableConcept status) {
    return status.getCoding().stream().filter(Coding::hasCode).map(Coding::getCode).findFirst().orElse(null);
  }
}
