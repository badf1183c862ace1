package org.prostateed.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.prostateed.content.Coded;

/** CLINICAL.md section 4: "Personalised sections chosen by answers". */
class HandoutPersonalisationTest {

  private static final String TEXT = """
      # Title
      Always shown.
      ::: show-if performer=partner-carer,clinician
      Helper section.
      :::
      ::: show-if acknowledged=bleeding-risk
      Bleeding caution.
      :::
      End.
      """;

  private final HandoutPersonalisation personalisation = new HandoutPersonalisation();

  private static Answers performer(String code) {
    return new Answers(Map.of("performer", new Coded("http://prostateed.org/fhir/CodeSystem/massage-performer", code, null)));
  }

  @Test
  void sectionsWhoseConditionHoldsAreKeptWithoutTheirMarkers() {
    HandoutPersonalisation.Personalised result =
        personalisation.personalise(TEXT, performer("partner-carer"), Set.of("bleeding-risk"));

    assertThat(result.markdown()).isEqualTo("# Title\nAlways shown.\nHelper section.\nBleeding caution.\nEnd.\n\n");
    assertThat(result.sectionsShown()).containsExactly("performer=partner-carer,clinician", "acknowledged=bleeding-risk");
  }

  @Test
  void sectionsWhoseConditionFailsAreLeftOut() {
    HandoutPersonalisation.Personalised result = personalisation.personalise(TEXT, performer("patient"), Set.of());

    assertThat(result.markdown()).isEqualTo("# Title\nAlways shown.\nEnd.\n\n");
    assertThat(result.sectionsShown()).isEmpty();
  }

  @Test
  void anUnclosedSectionIsAnError() {
    assertThatThrownBy(() -> personalisation.personalise("::: show-if performer=patient\ntext\n", performer("patient"), Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not closed");
  }
}
