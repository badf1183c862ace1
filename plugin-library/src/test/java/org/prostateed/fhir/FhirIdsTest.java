package org.prostateed.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FhirIdsTest {

  /** FHIR R4, datatypes, id: "Regex: [A-Za-z0-9\-\.]{1,64}". */
  private static final Pattern SPEC = Pattern.compile("[A-Za-z0-9\\-\\.]{1,64}");

  @Test
  void anIdIsWhatTheSpecificationsExpressionMatches() {
    List<String> cases = new ArrayList<>(List.of("", "a", "Z", "0", "-", ".", "demo-cp", "demo-hemorrhoids-enc",
        "1062", "a.b-c", "a b", "a/b", "a_b", "a:b", "a%2Fb", "../etc", "é", "٣", "２", "a\n", "\u0000",
        "<script>", "' OR 1=1", "a".repeat(64), "a".repeat(65), "9".repeat(63) + "-"));
    for (char c = 0; c < 256; c++) {
      cases.add("x" + c + "y");
    }
    for (String value : cases) {
      assertThat(FhirIds.isId(value)).as("'%s'", value).isEqualTo(SPEC.matcher(value).matches());
    }
    assertThat(FhirIds.isId(null)).isFalse();
    assertThat(cases.stream().filter(FhirIds::isId).count()).as("the cases hold ids and non-ids").isBetween(10L, 200L);
  }
}
