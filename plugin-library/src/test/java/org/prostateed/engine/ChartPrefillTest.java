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
import org.prostateed.content.PrefillRule.Record;
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
    return new ChartEntry(Record.CONDITION, "Condition/" + code, List.of(new Coded(ICD, code, null)), null, current,
        true, LocalDate.of(2026, 1, 1), null, Optional.empty());
  }

  private static ChartEntry psa(double value, String unit, LocalDate date) {
    return new ChartEntry(Record.OBSERVATION, "Observation/" + date, List.of(new Coded(LOINC, "2857-1", "PSA")), null,
        true, true, date, null, Optional.of(new ChartEntry.Quantity(value, unit)));
  }

  @Test
  void anEmptyChartPrefillsNothing() {
    assertThat(prefill()).isEmpty();
  }

  @Test
  void aCurrentConditionPrefillsYesWithItsEvidence() {
    Map<String, ChartPrefill.Prefilled> answers = prefill(condition("N41.0", true), condition("C61", true));

    assertThat(answers).containsOnlyKeys("acute-infection", "recent-acute-prostatitis", "prostate-cancer");
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
    ChartEntry byName = new ChartEntry(Record.MEDICATION, "MedicationRequest/1",
        List.of(new Coded(RXNORM, "855332", "warfarin sodium 5 MG Oral Tablet")), null, true, true, TODAY, null, Optional.empty());
    ChartEntry stopped = new ChartEntry(Record.MEDICATION, "MedicationRequest/2",
        List.of(new Coded(RXNORM, "855332", "warfarin sodium 5 MG Oral Tablet")), null, false, false, TODAY, null, Optional.empty());
    ChartEntry unrelated = new ChartEntry(Record.MEDICATION, "MedicationRequest/3",
        List.of(new Coded(RXNORM, "1", "tamsulosin 0.4 MG Oral Capsule")), null, true, true, TODAY, null, Optional.empty());

    assertThat(prefill(byName)).hasEntrySatisfying("bleeding-risk",
        found -> assertThat(found.evidence()).extracting(Evidence::reference).containsExactly("MedicationRequest/1"));
    assertThat(prefill(stopped, unrelated)).isEmpty();
  }

  private static ChartEntry resolved(String code, LocalDate recorded, LocalDate abated) {
    return new ChartEntry(Record.CONDITION, "Condition/" + code, List.of(new Coded(ICD, code, null)), null, false,
        true, recorded, abated, Optional.empty());
  }

  private static ChartEntry medicine(String reference, String display, boolean active, LocalDate started) {
    return new ChartEntry(Record.MEDICATION, reference, List.of(new Coded(RXNORM, "0", display)), null, active, active,
        started, null, Optional.empty());
  }

  // Issue 22, section 3: the new items pre-fill from the chart with their evidence.
  @Test
  void theNewItemsPrefillFromTheirCodes() {
    assertThat(prefill(condition("N39.0", true))).containsOnlyKeys("urinary-infection");
    assertThat(prefill(condition("N45.3", true))).as("epididymo-orchitis").containsOnlyKeys("urinary-infection");
    assertThat(prefill(condition("R33.9", true))).containsOnlyKeys("urinary-retention");
    assertThat(prefill(condition("C20", true))).containsOnlyKeys("anorectal-cancer");
    assertThat(prefill(condition("C21.1", true))).containsOnlyKeys("anorectal-cancer");
    assertThat(prefill(condition("K62.3", true))).containsOnlyKeys("anal-stenosis-prolapse");
    assertThat(prefill(condition("K62.7", true))).as("radiation proctitis").containsOnlyKeys("proctitis-ibd");
    assertThat(prefill(condition("K50.90", true))).as("Crohn's: activity unknown").containsOnlyKeys("ibd-remission");
    assertThat(prefill(condition("S14.101A", true))).as("cervical cord").containsOnlyKeys("spinal-cord-injury");
    assertThat(prefill(condition("S24.102S", true))).as("T2-T6").containsOnlyKeys("spinal-cord-injury");
    assertThat(prefill(condition("S24.103A", true))).as("T7-T10 is below T6").isEmpty();
    assertThat(prefill(condition("G83.4", true))).containsOnlyKeys("reduced-sensation");
    assertThat(prefill(condition("Z85.46", true))).as("history of prostate cancer").containsOnlyKeys("prostate-cancer");
    assertThat(prefill(condition("R97.21", true))).as("rising PSA after treatment").containsOnlyKeys("prostate-cancer");
    assertThat(prefill(condition("N40.2", true))).as("nodular BPH is not a suspicious nodule").isEmpty();
    assertThat(prefill(condition("D68.00", true))).as("von Willebrand disease").containsOnlyKeys("bleeding-risk");
    assertThat(prefill(condition("D69.6", true))).as("thrombocytopenia").containsOnlyKeys("bleeding-risk");
    assertThat(prefill(condition("D68.51", true))).as("a thrombophilia does not bleed").isEmpty();
    assertThat(prefill(condition("Z79.624", true))).as("long-term immunosuppressant").containsOnlyKeys("immunosuppression");
  }

  // Issue 22: "acute prostatitis in the last 6 weeks (window in settings)": a resolved record
  // counts while it ended (or, without an end, was recorded) within the window.
  @Test
  void recentAcuteProstatitisCountsAResolvedRecordWithinItsWindowOnly() {
    int weeks = library.settings().windowWeeks("recent-acute-prostatitis").orElseThrow();

    assertThat(prefill(resolved("N41.0", TODAY.minusWeeks(10), TODAY.minusWeeks(weeks).plusDays(1))))
        .containsOnlyKeys("recent-acute-prostatitis")
        .hasEntrySatisfying("recent-acute-prostatitis", found -> assertThat(found.evidence()).singleElement()
            .satisfies(evidence -> assertThat(evidence.reference()).isEqualTo("Condition/N41.0")));
    assertThat(prefill(resolved("N41.0", TODAY.minusWeeks(10), TODAY.minusWeeks(weeks).minusDays(1))))
        .as("ended before the window").isEmpty();
    assertThat(prefill(resolved("N41.0", TODAY.minusWeeks(2), null))).as("no end, recorded within")
        .containsOnlyKeys("recent-acute-prostatitis");
    ChartEntry refuted = new ChartEntry(Record.CONDITION, "Condition/x", List.of(new Coded(ICD, "N41.0", null)), null,
        false, false, TODAY.minusWeeks(1), null, Optional.empty());
    assertThat(prefill(refuted)).as("refuted or entered in error never counts").isEmpty();
    assertThat(prefill(resolved("N41.2", TODAY.minusWeeks(12), null))).as("an abscess within its 13 weeks")
        .containsOnlyKeys("prostate-abscess");
  }

  // Issue 22: "its pre-fill doubles the measured value when an active 5-alpha-reductase inhibitor
  // started at least 6 months before the test, and otherwise flags it; the evidence shows both
  // values and the drug."
  @Test
  void aPsaMeasuredOnFinasterideIsReadDoubledOrFlagged() {
    LocalDate tested = LocalDate.of(2026, 10, 1);
    ChartEntry psa = psa(2.6, "ng/mL", tested);
    ChartEntry longTerm = medicine("MedicationRequest/f", "finasteride 5 MG Oral Tablet", true, tested.minusMonths(7));
    ChartEntry recent = medicine("MedicationRequest/f", "finasteride 5 MG Oral Tablet", true, tested.minusMonths(2));
    ChartEntry noStart = medicine("MedicationRequest/f", "Avodart (dutasteride) 0.5 MG capsule", true, null);
    ChartEntry stopped = medicine("MedicationRequest/f", "finasteride 5 MG Oral Tablet", false, tested.minusYears(2));

    assertThat(prefill(psa)).as("2.6 alone is below 4.0").isEmpty();
    assertThat(prefill(psa, stopped)).as("a stopped medicine changes nothing").isEmpty();
    assertThat(prefill(psa, longTerm)).hasEntrySatisfying("psa-abnormal", found -> {
      assertThat(found.evidence()).extracting(Evidence::reference)
          .containsExactly("Observation/" + tested, "MedicationRequest/f");
      assertThat(found.evidence().get(0).display()).contains("2.6 ng/mL measured", "5.2 ng/mL", "x2",
          "finasteride 5 MG Oral Tablet");
      assertThat(found.evidence().get(1).display()).contains("since " + tested.minusMonths(7));
    });
    assertThat(prefill(psa, recent)).as("started 2 months before the test: flagged, not adjusted")
        .hasEntrySatisfying("psa-abnormal", found -> assertThat(found.evidence().get(0).display())
            .contains("2.6 ng/mL measured", "less than 6 months", "not adjusted", "5.2 ng/mL"));
    assertThat(prefill(psa, noStart)).as("start unknown: flagged")
        .hasEntrySatisfying("psa-abnormal", found -> assertThat(found.evidence().get(1).display())
            .contains("dutasteride", "start date unknown"));
    assertThat(prefill(psa(1.5, "ng/mL", tested), longTerm)).as("doubled 3.0 is still below 4.0").isEmpty();
  }

  // Issue 22: "US charts code the product, not the ingredient: a test shows a MedicationRequest
  // coded as a clinical drug (for example apixaban 5 mg oral tablet) pre-filling yes."
  @Test
  void aClinicalDrugCodePrefillsBleedingRiskByItsIngredient() {
    ChartEntry apixaban = new ChartEntry(Record.MEDICATION, "MedicationRequest/a",
        List.of(new Coded(RXNORM, "1364445", "apixaban 5 MG Oral Tablet")), null, true, true, TODAY, null,
        Optional.empty());

    assertThat(prefill(apixaban)).hasEntrySatisfying("bleeding-risk", found -> assertThat(found.evidence())
        .singleElement().satisfies(evidence -> {
          assertThat(evidence.reference()).isEqualTo("MedicationRequest/a");
          assertThat(evidence.code()).isEqualTo(RXNORM + "|1364430");
          assertThat(evidence.display()).isEqualTo("apixaban 5 MG Oral Tablet");
        }));
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
