package org.prostateed.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.prostateed.content.Coded;
import org.prostateed.content.ShippedContent;

/**
 * docs/clinical-rules.md, "Qualifying diagnoses and code matching": a Condition qualifies when it is
 * confirmed and active (or has no status) and its code is in the qualifying value set. Conditions
 * entered in error, refuted, resolved or inactive never qualify.
 */
class QualifyingDiagnosisFinderTest {

  private static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";
  private static final String SNOMED = "http://snomed.info/sct";

  private final QualifyingDiagnosisFinder finder = new QualifyingDiagnosisFinder(ShippedContent.library());

  private static ChartCondition condition(String system, String code, String clinical, String verification) {
    return new ChartCondition("Condition/1", List.of(new Coded(system, code, null)), clinical, verification, null);
  }

  @ParameterizedTest(name = "{0} {1} qualifies as {2}")
  @CsvSource({
    "http://hl7.org/fhir/sid/icd-10-cm, N41.1, chronic-prostatitis",
    "http://hl7.org/fhir/sid/icd-10-cm, N41.10, chronic-prostatitis",
    "http://hl7.org/fhir/sid/icd-10-cm, N42.81, chronic-prostatitis",
    "http://hl7.org/fhir/sid/icd-10-cm, N40.0, bph",
    "http://hl7.org/fhir/sid/icd-10-cm, N40.3, bph",
    "http://snomed.info/sct, 266569009, bph"
  })
  void qualifyingCodesQualify(String system, String code, String indication) {
    List<QualifyingDiagnosis> found = finder.find(List.of(condition(system, code, "active", "confirmed")));

    assertThat(found).singleElement().satisfies(diagnosis -> {
      assertThat(diagnosis.indication()).isEqualTo(indication);
      assertThat(diagnosis.itemId()).isEqualTo("prostate-massage");
      assertThat(diagnosis.conditionReference()).isEqualTo("Condition/1");
    });
  }

  @ParameterizedTest(name = "{0} {1} does not qualify")
  @CsvSource({
    "http://hl7.org/fhir/sid/icd-10-cm, N41.0",
    "http://hl7.org/fhir/sid/icd-10-cm, N41",
    "http://hl7.org/fhir/sid/icd-10-cm, N4",
    "http://hl7.org/fhir/sid/icd-10-cm, C61",
    "http://hl7.org/fhir/sid/icd-10-cm, J06.9",
    "http://snomed.info/sct, 9713002",
    "http://snomed.info/sct, N41.1",
    "http://loinc.org, N41.1"
  })
  void otherCodesDoNotQualify(String system, String code) {
    assertThat(finder.find(List.of(condition(system, code, "active", "confirmed")))).isEmpty();
  }

  @ParameterizedTest(name = "clinical {0}, verification {1}: qualifies {2}")
  @CsvSource(nullValues = "none", value = {
    "active, confirmed, true",
    "none, none, true",
    "recurrence, confirmed, true",
    "active, none, true",
    "none, confirmed, true",
    "none, entered-in-error, false",
    "active, refuted, false",
    "resolved, confirmed, false",
    "inactive, confirmed, false",
    "remission, confirmed, false",
    "active, provisional, false",
    "active, unconfirmed, false"
  })
  void onlyCurrentConfirmedConditionsQualify(String clinical, String verification, boolean qualifies) {
    List<QualifyingDiagnosis> found = finder.find(List.of(condition(ICD, "N41.1", clinical, verification)));

    assertThat(found).hasSize(qualifies ? 1 : 0);
  }

  @Test
  void twoQualifyingConditionsGiveOneEducationItem() {
    List<QualifyingDiagnosis> found = finder.find(List.of(
        condition(ICD, "N41.1", "active", "confirmed"), condition(SNOMED, "266569009", null, null)));

    assertThat(found).hasSize(2);
    assertThat(finder.items(found)).singleElement().satisfies(item -> assertThat(item.id()).isEqualTo("prostate-massage"));
  }
}
