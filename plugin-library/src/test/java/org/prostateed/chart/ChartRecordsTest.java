package org.prostateed.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.prostateed.content.Coded;
import org.prostateed.content.PrefillRule.Record;
import org.prostateed.engine.ChartCondition;
import org.prostateed.engine.ChartEntry;

/**
 * The one chart mapping, shared by the CDS hook (prefetch parsed by HAPI) and the FHIR operations
 * (records read from the store). Issue 4: "a resolved, refuted or entered-in-error record never
 * pre-fills 'yes'", so each record's "current" flag is checked here for every kind pre-fill reads.
 */
class ChartRecordsTest {
  private static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";
  private static final String LOINC = "http://loinc.org";
  private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

  /** The entry of one record. */
  private static ChartEntry entry(Resource record) {
    List<ChartEntry> entries = ChartRecords.entries(List.of(record));
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }

  private static CodeableConcept concept(String system, String code, String display) {
    return new CodeableConcept(new Coding(system, code, display));
  }

  private static CodeableConcept status(String system, String code) {
    return new CodeableConcept(new Coding(system, code, null));
  }

  @Test
  void aConditionKeepsItsCodesStatusesAndRecordedDate() {
    Condition condition = new Condition();
    condition.setId("c1");
    condition.setCode(concept(ICD, "N41.1", "Chronic prostatitis").setText("chronic prostatitis"));
    condition.getCode().addCoding(new Coding(null, "no-system", null));
    condition.setClinicalStatus(status("http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved"));
    condition.setRecordedDateElement(new DateTimeType("2025-03-04T10:00:00Z"));
    condition.setOnset(new DateTimeType("2020-01-01"));

    ChartEntry entry = entry(condition);

    assertThat(entry).isEqualTo(new ChartEntry(Record.CONDITION, "Condition/c1",
        List.of(new Coded(ICD, "N41.1", "Chronic prostatitis")), "chronic prostatitis", false, true,
        LocalDate.of(2025, 3, 4), null, Optional.empty()));
    ChartCondition chart = ChartRecords.condition(condition);
    assertThat(chart.clinicalStatus()).isEqualTo("resolved");
    assertThat(chart.recorded()).isEqualTo("2025-03-04T10:00:00Z");
  }

  @Test
  void aConditionWithoutRecordedDateIsDatedByItsOnsetAndCurrentWhenStatusesAreAbsent() {
    Condition condition = new Condition();
    condition.setId("c2");
    condition.setCode(concept(ICD, "C61", null));
    condition.setOnset(new DateTimeType("2024-06-30"));

    ChartEntry entry = entry(condition);

    assertThat(entry.current()).isTrue();
    assertThat(entry.date()).isEqualTo(LocalDate.of(2024, 6, 30));
  }

  @Test
  void anObservationCarriesItsValueAndOnlyFinalResultsAreCurrent() {
    Observation psa = new Observation();
    psa.setId("o1");
    psa.setStatus(Observation.ObservationStatus.FINAL);
    psa.setCode(concept(LOINC, "2857-1", "PSA"));
    psa.setValue(new Quantity().setValue(new BigDecimal("4.25")).setUnit("ng/mL").setCode("ng/mL"));
    psa.setEffective(new Period().setStartElement(new DateTimeType("2026-02-01T08:00:00Z")));
    psa.getIssuedElement().setValueAsString("2026-02-03T08:00:00Z");

    ChartEntry entry = entry(psa);

    assertThat(entry.current()).isTrue();
    assertThat(entry.quantity()).contains(new ChartEntry.Quantity(4.25, "ng/mL"));
    assertThat(entry.date()).isEqualTo(LocalDate.of(2026, 2, 1));

    Observation preliminary = psa.copy().setStatus(Observation.ObservationStatus.PRELIMINARY);
    preliminary.setEffective(null);
    preliminary.setValue(new Quantity().setValue(new BigDecimal("3")).setUnit("ng/ml"));
    ChartEntry second = entry(preliminary);
    assertThat(second.current()).isFalse();
    assertThat(second.quantity()).contains(new ChartEntry.Quantity(3.0, "ng/ml"));
    assertThat(second.date()).as("without an effective time, the issue date").isEqualTo(LocalDate.of(2026, 2, 3));
  }

  @Test
  void medicationsReadTheirCodesOrTheReferencedNameAndTheirStatus() {
    MedicationRequest byReference = new MedicationRequest();
    byReference.setId("m1");
    byReference.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    byReference.setMedication(new Reference("Medication/x").setDisplay("Warfarin 5 mg tablet"));
    byReference.setAuthoredOnElement(new DateTimeType("2026-01-10"));

    ChartEntry request = entry(byReference);
    assertThat(request.codes()).isEmpty();
    assertThat(request.text()).isEqualTo("Warfarin 5 mg tablet");
    assertThat(request.current()).isTrue();
    assertThat(request.date()).isEqualTo(LocalDate.of(2026, 1, 10));

    MedicationStatement stopped = new MedicationStatement();
    stopped.setId("m2");
    stopped.setStatus(MedicationStatement.MedicationStatementStatus.STOPPED);
    stopped.setMedication(concept(RXNORM, "11289", "warfarin"));
    stopped.setDateAssertedElement(new DateTimeType("2025-12-24"));
    ChartEntry statement = entry(stopped);
    assertThat(statement.current()).isFalse();
    assertThat(statement.text()).as("the coding's display when the concept has no text").isEqualTo("warfarin");
    assertThat(statement.date()).isEqualTo(LocalDate.of(2025, 12, 24));

    MedicationStatement intended = stopped.copy().setStatus(MedicationStatement.MedicationStatementStatus.INTENDED);
    intended.setEffective(new DateTimeType("2026-03-01"));
    ChartEntry planned = entry(intended);
    assertThat(planned.current()).isTrue();
    assertThat(planned.date()).isEqualTo(LocalDate.of(2026, 3, 1));
  }

  @Test
  void aRefutedAllergyAndANotDoneProcedureAreNotCurrent() {
    AllergyIntolerance allergy = new AllergyIntolerance();
    allergy.setId("a1");
    allergy.setCode(concept("http://snomed.info/sct", "111088007", "Latex"));
    allergy.setVerificationStatus(status("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
        "refuted"));
    assertThat(entry(allergy).current()).isFalse();
    allergy.setVerificationStatus(null);
    assertThat(entry(allergy).current()).isTrue();

    Procedure procedure = new Procedure();
    procedure.setId("p1");
    procedure.setStatus(Procedure.ProcedureStatus.NOTDONE);
    procedure.setCode(concept("http://snomed.info/sct", "65575008", "Biopsy of prostate"));
    procedure.setPerformed(new Period().setEndElement(new DateTimeType("2026-11-01")));
    ChartEntry notDone = entry(procedure);
    assertThat(notDone.current()).isFalse();
    assertThat(notDone.date()).as("a period is dated by its end").isEqualTo(LocalDate.of(2026, 11, 1));
    assertThat(entry(procedure.setStatus(Procedure.ProcedureStatus.COMPLETED)).current()).isTrue();
  }

  @Test
  void otherResourcesGiveNoEntry() {
    assertThat(ChartRecords.entries(List.of(new Patient().setId("p"), new Encounter().setId("e")))).isEmpty();
  }

  @Test
  void aReferenceIsTypeAndIdWithoutBaseUrlOrVersion() {
    Condition condition = new Condition();
    condition.setId("https://ehr.example/fhir/Condition/42/_history/3");
    assertThat(ChartRecords.reference(condition)).isEqualTo("Condition/42");
  }

  @Test
  void aDateIsTheCalendarDayAsWrittenAndALessPreciseOneIsNone() {
    // "The calendar date of a FHIR date or dateTime as written (in its own time zone)": a late
    // evening in New York is that day, not the next day in UTC.
    assertThat(ChartRecords.date(new DateTimeType("2026-11-27T23:30:00-05:00"))).isEqualTo(LocalDate.of(2026, 11, 27));
    assertThat(ChartRecords.date(new DateTimeType("2024-02-29"))).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(ChartRecords.date(new DateTimeType("2026-05"))).as("month precision").isNull();
    assertThat(ChartRecords.date(new DateTimeType("2026"))).as("year precision").isNull();
    assertThat(ChartRecords.date(new DateTimeType())).isNull();
    assertThat(ChartRecords.date(null)).isNull();
  }
}
