package org.prostateed.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/clinical-rules.md, "Qualifying diagnoses and code matching": an ICD-10-CM code matches itself and its descendants. A classification code
 * extends its parent by characters; the dot is layout, and case does not matter.
 */
class CodeSetTest {

  private static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";
  private static final String SNOMED = "http://snomed.info/sct";

  private static CodeSet set(CodeSet.Rule... rules) {
    return new CodeSet("test", "http://example.org/ValueSet/test", "1", "Test", List.of(rules), "{}");
  }

  @Test
  void aDescendantRuleMatchesTheCodeAndEveryCodeBelowItWhateverTheDotsAndCase() {
    CodeSet cancer = set(new CodeSet.Rule(ICD, "C61", "Malignant neoplasm of prostate", true),
        new CodeSet.Rule(ICD, "N41.0", "Acute prostatitis", true));

    assertThat(cancer.contains(ICD, "C61")).isTrue();
    assertThat(cancer.contains(ICD, "C61.")).isTrue();
    assertThat(cancer.contains(ICD, "c61")).isTrue();
    assertThat(cancer.contains(ICD, "N41.0")).isTrue();
    assertThat(cancer.contains(ICD, "N410")).isTrue();
    assertThat(cancer.contains(ICD, "n41.01")).isTrue();
    assertThat(cancer.contains(ICD, "N41.1")).isFalse();
    assertThat(cancer.contains(ICD, "N41")).isFalse();
    assertThat(cancer.contains(ICD, "C6")).isFalse();
    assertThat(cancer.contains(ICD, "C62")).isFalse();
    assertThat(cancer.contains(ICD, "")).isFalse();
    assertThat(cancer.contains(ICD, null)).isFalse();
    assertThat(cancer.contains(SNOMED, "C61")).isFalse();
    assertThat(cancer.match(ICD, "N41.09").map(CodeSet.Rule::code)).contains("N41.0");
  }

  @Test
  void anExactRuleMatchesOnlyItsOwnCode() {
    CodeSet bph = set(new CodeSet.Rule(SNOMED, "266569009", "Benign prostatic hyperplasia", false));

    assertThat(bph.contains(SNOMED, "266569009")).isTrue();
    assertThat(bph.contains(SNOMED, "2665690091")).isFalse();
    assertThat(bph.contains(SNOMED, "26656900")).isFalse();
  }
}
