package org.prostateed.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodeFormatsTest {

  @ParameterizedTest(name = "{0} {1} well formed: {2}")
  @CsvSource({
    "http://hl7.org/fhir/sid/icd-10-cm, N41.1, true",
    "http://hl7.org/fhir/sid/icd-10-cm, C61, true",
    "http://hl7.org/fhir/sid/icd-10-cm, Z91.040, true",
    "http://hl7.org/fhir/sid/icd-10-cm, K60.31, true",
    "http://hl7.org/fhir/sid/icd-10-cm, n41.1, false",
    "http://hl7.org/fhir/sid/icd-10-cm, U07.1, false",
    "http://hl7.org/fhir/sid/icd-10-cm, N41., false",
    "http://hl7.org/fhir/sid/icd-10-cm, N4, false",
    "http://snomed.info/sct, 266569009, true",
    "http://snomed.info/sct, 9713002, true",
    "http://snomed.info/sct, 399068003, true",
    "http://snomed.info/sct, 254900004, true",
    "http://snomed.info/sct, 300916003, true",
    "http://snomed.info/sct, 409089005, true",
    "http://snomed.info/sct, 73211009, true",
    "http://snomed.info/sct, 44054006, true",
    "http://snomed.info/sct, 38341003, true",
    "http://snomed.info/sct, 266569008, false",
    "http://snomed.info/sct, 12345, false",
    "http://snomed.info/sct, 0266569009, false",
    "http://loinc.org, 2857-1, true",
    "http://loinc.org, 751-8, true",
    "http://loinc.org, 2857-2, false",
    "http://example.org/anything, whatever, true"
  })
  void codesAreCheckedForTheirSystem(String system, String code, boolean wellFormed) {
    assertThat(CodeFormats.problem(system, code).isEmpty()).isEqualTo(wellFormed);
  }
}
