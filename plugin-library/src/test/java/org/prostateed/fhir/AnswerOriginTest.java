package org.prostateed.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.prostateed.content.ShippedContent;

/**
 * Issue 25: "Mark every answer with Da Vinci DTR's information-origin extension, placed and coded
 * as DTR STU 2.1 publishes it ... A missing extension means the origin is unknown, not manual."
 * Read from golden answers written from DTR's published definition (test resources, dtr/).
 */
class AnswerOriginTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private final ResponseReader reader = new ResponseReader(ShippedContent.library());

  @Test
  void eachSourceIsReadWithItsAuthorAndAnUnmarkedOrUnknownCodeIsUnknown() throws IOException {
    Map<String, AnswerOrigin> origins = reader.read(fixture("answers-with-origins.json")).origins();

    assertThat(origins).containsOnly(
        Map.entry("latex-allergy", new AnswerOrigin("override", Optional.of("Practitioner/nurse-1"))),
        Map.entry("bleeding-risk", new AnswerOrigin("auto", Optional.empty())),
        Map.entry("urinary-catheter", new AnswerOrigin("manual", Optional.of("Practitioner/nurse-1"))),
        // DTR 2.1 binds source extensibly: a later version's code is read as unknown, not refused.
        Map.entry("prostate-cancer", AnswerOrigin.unknown()),
        // No extension: unknown, never manual.
        Map.entry("proctitis-ibd", AnswerOrigin.unknown()));
  }

  // DTR dtrx-1: "If source is 'override' or 'manual' then an author SHALL be supplied, otherwise
  // author is prohibited."
  @Test
  void anAutoAnswerWithAnAuthorBreaksDtrx1() throws IOException {
    assertThatThrownBy(() -> reader.read(fixture("auto-with-author.json")))
        .isInstanceOf(RequestProblem.class)
        .hasMessageContaining("bleeding-risk").hasMessageContaining("dtrx-1");
  }

  @Test
  void populateMarksItsAnswersAutoWithoutAnAuthor() {
    QuestionnaireResponse response = new QuestionnaireResponse();
    response.addItem().setLinkId("bleeding-risk").addAnswer().addExtension(AnswerOrigin.auto());

    String json = FHIR.newJsonParser().encodeResourceToString(response);

    assertThat(json).contains("\"url\":\"http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/information-origin\","
        + "\"extension\":[{\"url\":\"source\",\"valueCode\":\"auto\"}]");
  }

  private static QuestionnaireResponse fixture(String name) throws IOException {
    try (InputStream in = AnswerOriginTest.class.getResourceAsStream("/dtr/" + name)) {
      return FHIR.newJsonParser().parseResource(QuestionnaireResponse.class,
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
