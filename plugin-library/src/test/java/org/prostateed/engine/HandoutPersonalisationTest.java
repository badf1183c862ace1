package org.prostateed.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.prostateed.content.Coded;

/** docs/clinical-rules.md, "The handout": the answers choose the personalised sections. */
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

  // Issue 22: "the self-massage steps show only for performer=patient; a partner or carer gets
  // steps written for them; a clinician-performed massage gets the clinic description alone."
  @Test
  void theShippedStepsShowOnlyForTheirPerformer() {
    String markdown = org.prostateed.content.ShippedContent.library()
        .handoutVersions("prostate-massage", "en").get(0).markdown();
    String self = "Slide one finger slowly into your bottom.";
    String helper = "Slide one finger slowly into his bottom.";
    String clinic = "Your doctor or nurse will do the massage at the clinic.";

    assertThat(personalisation.personalise(markdown, performer("patient"), Set.of()).markdown())
        .contains(self).doesNotContain(helper, clinic);
    assertThat(personalisation.personalise(markdown, performer("partner-carer"), Set.of()).markdown())
        .contains(helper).doesNotContain(self, clinic);
    assertThat(personalisation.personalise(markdown, performer("clinician"), Set.of()).markdown())
        .contains(clinic).doesNotContain(self, helper, "1. ");
    assertThat(personalisation.personalise(markdown, performer("patient"), Set.of()).markdown())
        .as("PSA advice is for every reader").contains("Do not have a massage for at least 2 days before a PSA test.");
  }

  @Test
  void theStopSignsBecomeABoxWithoutTheirMarks() {
    String text = """
        Before.
        ::: stop-signs
        **Get help if:**

        - {emergency:cannot-pass-urine} you cannot pass urine
        :::
        After.
        """;

    assertThat(personalisation.personalise(text, performer("patient"), Set.of()).markdown())
        .isEqualTo("Before.\n> **Get help if:**\n> \n> - you cannot pass urine\nAfter.\n\n");
  }

  @Test
  void anUnclosedSectionIsAnError() {
    assertThatThrownBy(() -> personalisation.personalise("::: show-if performer=patient\ntext\n", performer("patient"), Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not closed");
  }
}
