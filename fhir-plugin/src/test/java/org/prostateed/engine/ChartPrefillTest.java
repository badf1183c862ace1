package org.prostateed.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.PrefillRule.Source;
import org.prostateed.content.ShippedContent;

/**
 * Issue 4: "A missing record never pre-fills 'no'; a resolved, refuted or entered-in-error record
 * never pre-fills 'yes'. The rules come from the content, not from code."
 */
class ChartPrefillTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
  private static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";
  private static final String LOINC = "http://loinc.org";
  private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

  private final ContentLibrary library = ShippedContent.library();
  private final ContraindicationQuestionnaire questionnaire = ShippedContent.questionnaire();
  private final ChartPrefill prefill = new ChartPrefill(library);

  private Map<String, ChartPrefill.Prefilled> prefill(ChartEntry... chart) {
    return prefill.prefill(questionnaire, List.of(), List.of(chart), TODAY);
  }

  private static ChartEntry condition(String code, boolean current) {
    return new ChartEntry(Source.CONDITION, "Condition/" + code, List.of(new Coded(ICD, code, null)), null, current,
        LocalDate.of(2026, 1, 1), Optional.empty());
  }

  private static ChartEntry psa(double value, String unit, LocalDate date) {
    return new ChartEntry(Source.OBSERVATION, "Observation/" + date, List.of(new Coded(LOINC, "2857-1", "PSA")), null,
        true, date, Optional.of(new ChartEntry.Quantity(value, unit)));
  }

  @Test
  void anEmptyChartPrefillsNothing() {
    assertThat(prefill()).isEmpty();
  }

  @Test
  void aCurrentConditionPrefillsYesWithItsEvidence() {
    Map<String, ChartPrefill.Prefilled> answers = prefill(condition("N41.0", true), condition("C61", true));

    assertThat(answers).containsOnlyKeys("acute-infection", "prostate-cancer");
    assertThat(answers.get("acute-infection").answer().code()).isEqualTo("Y");
    assertThat(answers.get("acute-infection").evidence()).singleElement().satisfies(evidence -> {
      assertThat(evidence.reference()).isEqualTo("Condition/N41.0");
      assertThat(evidence.code()).isEqualTo(ICD + "|N41.0");
      assertThat(evidence.date()).isEqualTo("2026-01-01");
    });
  }

  @Test
  void aConditionThatIsNotCurrentPrefillsNothing() {
    assertThat(prefill(condition("N41.0", false))).isEmpty();
  }

  @Test
  void theLatestPsaWithinTheWindowAboveTheThresholdPrefillsYes() {
    assertThat(prefill(psa(6.2, "ng/mL", LocalDate.of(2026, 9, 15))))
        .hasEntrySatisfying("psa-abnormal", found -> assertThat(found.evidence().get(0).display()).contains("6.2 ng/mL"));
    assertThat(prefill(psa(6.2, "ug/L", LocalDate.of(2026, 9, 15)))).containsKey("psa-abnormal");
  }

  @Test
  void aNormalLatestPsaAnOldOneOrAnUnknownUnitPrefillsNothing() {
    assertThat(prefill(psa(9.0, "ng/mL", LocalDate.of(2026, 3, 1)), psa(2.1, "ng/mL", LocalDate.of(2026, 10, 1))))
        .as("the latest result is normal").isEmpty();
    assertThat(prefill(psa(9.0, "ng/mL", LocalDate.of(2025, 10, 1)))).as("older than 12 months").isEmpty();
    assertThat(prefill(psa(4.0, "ng/mL", LocalDate.of(2026, 10, 1)))).as("at, not above, the threshold").isEmpty();
    assertThat(prefill(psa(9.0, "mmol/L", LocalDate.of(2026, 10, 1)))).as("a unit it cannot compare").isEmpty();
  }

  @Test
  void anActiveAnticoagulantPrefillsBleedingRiskByNameOrCodeButAStoppedOneDoesNot() {
    ChartEntry byName = new ChartEntry(Source.MEDICATION, "MedicationRequest/1",
        List.of(new Coded(RXNORM, "855332", "warfarin sodium 5 MG Oral Tablet")), null, true, TODAY, Optional.empty());
    ChartEntry stopped = new ChartEntry(Source.MEDICATION, "MedicationRequest/2",
        List.of(new Coded(RXNORM, "855332", "warfarin sodium 5 MG Oral Tablet")), null, false, TODAY, Optional.empty());
    ChartEntry unrelated = new ChartEntry(Source.MEDICATION, "MedicationRequest/3",
        List.of(new Coded(RXNORM, "1", "tamsulosin 0.4 MG Oral Capsule")), null, true, TODAY, Optional.empty());

    assertThat(prefill(byName)).hasEntrySatisfying("bleeding-risk",
        found -> assertThat(found.evidence()).extracting(Evidence::reference).containsExactly("MedicationRequest/1"));
    assertThat(prefill(stopped, unrelated)).isEmpty();
  }

  @Test
  void theIndicationComesFromTheQualifyingDiagnosis() {
    QualifyingDiagnosis bph = new QualifyingDiagnosis("prostate-massage", "bph",
        new Coded("http://snomed.info/sct", "266569009", "BPH"), "Condition/9", "vs");

    Map<String, ChartPrefill.Prefilled> answers = prefill.prefill(questionnaire, List.of(bph), List.of(), TODAY);

    assertThat(answers).containsOnlyKeys("indication");
    assertThat(answers.get("indication").answer().code()).isEqualTo("bph");
    assertThat(answers.get("indication").evidence().get(0).reference()).isEqualTo("Condition/9");
  }
}
