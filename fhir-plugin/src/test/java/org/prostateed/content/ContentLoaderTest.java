package org.prostateed.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentLoaderTest {

  private final ContentLoader loader = new ContentLoader(new ObjectMapper());

  // CLINICAL.md section 3: the linkIds and severities of the contraindication questionnaire.
  @Test
  void shippedQuestionnaireHasTheContractLinkIdsAndSeverities() {
    ContraindicationQuestionnaire questionnaire = ShippedContent.questionnaire();

    Map<String, Severity> severities = questionnaire.items().stream()
        .collect(Collectors.toMap(ContraindicationItem::linkId, ContraindicationItem::severity));

    assertThat(questionnaire.items()).extracting(ContraindicationItem::linkId).containsExactly(
        "indication", "acute-infection", "prostate-abscess", "prostate-cancer", "psa-abnormal",
        "prostatic-calculi", "recent-procedure", "anorectal-disease", "rectal-bleeding", "proctitis-ibd",
        "bleeding-risk", "immunosuppression", "latex-allergy", "performer", "understanding");
    assertThat(severities).containsEntry("indication", Severity.GATE)
        .containsEntry("acute-infection", Severity.ABSOLUTE)
        .containsEntry("prostate-abscess", Severity.ABSOLUTE)
        .containsEntry("prostate-cancer", Severity.ABSOLUTE)
        .containsEntry("psa-abnormal", Severity.RELATIVE)
        .containsEntry("bleeding-risk", Severity.RELATIVE)
        .containsEntry("immunosuppression", Severity.RELATIVE)
        .containsEntry("latex-allergy", Severity.INFO)
        .containsEntry("understanding", Severity.INFO);
    assertThat(questionnaire.items()).allSatisfy(item -> {
      assertThat(item.rationale()).isNotBlank();
      assertThat(item.trace()).isNotBlank();
    });
  }

  // SPEC section 4: yes / no / don't-know answers are the three yesnodontknow codings, inline.
  @Test
  void yesNoItemsOfferExactlyTheYesNoDontKnowCodings() {
    ContraindicationItem acute = ShippedContent.questionnaire().item("acute-infection").orElseThrow();

    assertThat(acute.answerOptions()).extracting(Coded::system, Coded::code).containsExactly(
        org.assertj.core.groups.Tuple.tuple(YesNoUnknown.YES_NO_SYSTEM, "Y"),
        org.assertj.core.groups.Tuple.tuple(YesNoUnknown.YES_NO_SYSTEM, "N"),
        org.assertj.core.groups.Tuple.tuple(YesNoUnknown.UNKNOWN_SYSTEM, "asked-unknown"));
  }

  // CLINICAL.md section 1: ICD-10-CM matches by code and descendants, SNOMED CT by listed codes.
  @Test
  void qualifyingValueSetsMatchDescendantsOfIcdCodesAndListedSnomedCodes() {
    ContentLibrary library = ShippedContent.library();
    CodeSet cp = library.codeSet("http://prostateed.org/fhir/ValueSet/qualifying-chronic-prostatitis");
    CodeSet bph = library.codeSet("http://prostateed.org/fhir/ValueSet/qualifying-bph");
    String icd = "http://hl7.org/fhir/sid/icd-10-cm";
    String snomed = "http://snomed.info/sct";

    assertThat(cp.contains(icd, "N41.1")).isTrue();
    assertThat(cp.contains(icd, "N41.10")).isTrue();
    assertThat(cp.contains(icd, "N41.0")).isFalse();
    assertThat(cp.contains(icd, "N41")).isFalse();
    assertThat(bph.contains(icd, "N40.1")).isTrue();
    assertThat(bph.contains(snomed, "266569009")).isTrue();
    assertThat(bph.contains(snomed, "9713002")).isFalse();
    assertThat(bph.contains(icd, "266569009")).isFalse();
  }

  @Test
  void shippedHandoutIsDraftWithItsSha256() throws IOException {
    HandoutVersion english = ShippedContent.library().handoutVersions("prostate-massage", "en").get(0);

    assertThat(english.status()).isEqualTo(PublicationStatus.DRAFT);
    assertThat(english.sha256()).isEqualTo(ContentLoader.sha256(Files.readAllBytes(
        ShippedContent.folder().resolve("handouts/prostate-massage/prostate-massage.en.md"))));
    assertThat(english.markdown()).doesNotStartWith("---");
  }

  // "Bad content fails loudly with the file and the reason."
  @Test
  void anItemWithoutSeverityFailsNamingFileAndField(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Path questionnaire = copy.resolve("questionnaire/prostate-massage-contraindications.json");
    String json = Files.readString(questionnaire)
        .replaceFirst("\"valueCode\": \"absolute\"", "\"valueCode\": \"severe\"");
    Files.writeString(questionnaire, json);

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).containsExactly(
            "questionnaire/prostate-massage-contraindications.json: item[acute-infection]"
                + ".extension[contraindication-severity]: unknown severity 'severe'"));
  }

  @Test
  void aCatalogNamingAnUnknownValueSetFails(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Path catalog = copy.resolve("catalog.json");
    Files.writeString(catalog, Files.readString(catalog).replace("qualifying-bph", "qualifying-nothing"));

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).containsExactly(
            "catalog.json: items[prostate-massage].qualifying: no value set has url "
                + "http://prostateed.org/fhir/ValueSet/qualifying-nothing"));
  }

  // The observations prefetch template and the search without prefetch ask the EHR for each code
  // of these value sets (Observation?code=...), and a token search matches codes exactly, so an
  // is-a rule would silently leave out every result coded below its parent.
  @Test
  void anObservationValueSetWithAnIsARuleFails(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Path valueSet = copy.resolve("valuesets/psa-tests.json");
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = (ObjectNode) json.readTree(valueSet.toFile());
    ((ArrayNode) tree.path("compose").path("include")).addObject()
        .put("system", "http://loinc.org")
        .putArray("filter").addObject().put("property", "concept").put("op", "is-a").put("value", "2857-1");
    json.writeValue(valueSet.toFile(), tree);

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).containsExactly(
            "questionnaire prostate-massage-contraindications: item psa-abnormal: prefill-observation-valueset "
                + "http://prostateed.org/fhir/ValueSet/psa-tests has an is-a rule (http://loinc.org 2857-1); "
                + "observations are asked of the EHR by exact code, so list each code as a concept"));
  }

  @Test
  void aHandoutWithoutReviewDateFails(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Path handout = copy.resolve("handouts/prostate-massage/prostate-massage.en.md");
    Files.writeString(handout, Files.readString(handout).replaceFirst("reviewDue: .*\n", ""));

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).first().isEqualTo(
            "handouts/prostate-massage/prostate-massage.en.md: front matter.reviewDue: is missing"));
  }

  @Test
  void brokenJsonFailsNamingTheFile(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Files.writeString(copy.resolve("valuesets/bleeding-risk.json"), "{ not json");

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems())
            .anySatisfy(problem -> assertThat(problem).startsWith("valuesets/bleeding-risk.json: is not valid JSON")));
  }

  static Path copyOfShipped(Path target) throws IOException {
    Path source = ShippedContent.folder();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
        Path to = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to);
        }
      }
    }
    return target;
  }
}
