package org.prostateed.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
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
 * The chart mapping shared by the CDS hook (prefetch read as JSON) and the FHIR operations
 * (records read from the store, written to JSON first). Issue 4: "a resolved, refuted or
 * entered-in-error record never pre-fills 'yes'", so each record's "current" flag is checked
 * here for every kind pre-fill reads.
 */
class ChartJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";
  private static final String LOINC = "http://loinc.org";
  private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

  /** The entry of one record from a FHIR store (HAPI's model, read through its JSON). */
  private static ChartEntry entry(Resource record) {
    List<ChartEntry> entries = ChartReader.toEntries(List.of(record));
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }

  private static JsonNode tree(Resource record) {
    return ChartJson.tree(record);
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
    ChartCondition chart = ChartJson.condition(tree(condition));
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
  void otherResourcesAndMisshapenFieldsGiveNoEntryAndNoError() throws Exception {
    assertThat(ChartJson.entries(List.of(JSON.readTree("{\"resourceType\":\"Patient\",\"id\":\"p\"}")))).isEmpty();

    List<ChartEntry> misshapen = ChartJson.entries(List.of(JSON.readTree(
        "{\"resourceType\":\"Condition\",\"id\":\"c\",\"code\":\"N41.1\",\"recordedDate\":\"yesterday\","
            + "\"clinicalStatus\":{\"coding\":\"active\"}}")));
    assertThat(misshapen).singleElement().satisfies(entry -> {
      assertThat(entry.codes()).isEmpty();
      assertThat(entry.date()).isNull();
      assertThat(entry.current()).isTrue();
    });
  }

  @Test
  void aLocalReferenceDropsTheBaseUrlAndTheVersion() throws Exception {
    assertThat(ChartJson.localReference(JSON.readTree(
        "{\"reference\":\"https://ehr.example/fhir/Condition/42/_history/3\"}"))).isEqualTo("Condition/42");
    assertThat(ChartJson.localReference(JSON.readTree("{\"display\":\"no reference\"}"))).isNull();
  }

  @Test
  void datesReadAsTheCalendarDateOfTheirFirstTenCharactersOrNotAtAll() {
    // The hand-written reader must agree with LocalDate.parse of the first ten characters, which
    // it replaced: every case below is compared with that, not with a written-out answer.
    List<String> cases = List.of("2026-02-28", "2024-02-29", "2026-11-27T10:15:00+01:00", "2026-12-31Z",
        "2025-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "0000-01-01",
        "2026-1-01xx", "2026/01/01", "20260101xx", "2026-01-0a", "-026-01-01", "+2026-01-0", "2026", "2026-05",
        "", "２０２６-01-01");
    for (String value : cases) {
      LocalDate expected;
      try {
        expected = LocalDate.parse(value.length() < 10 ? value : value.substring(0, 10));
      } catch (java.time.format.DateTimeParseException e) {
        expected = null;
      }
      assertThat(ChartJson.date(value)).as(value).isEqualTo(expected);
    }
    assertThat(ChartJson.date(null)).isNull();
    assertThat(ChartJson.date("2026-02-28")).as("the cases include readable dates").isEqualTo(LocalDate.of(2026, 2, 28));
  }
}
