package org.prostateed.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentLoaderTest {

  private final ContentLoader loader = new ContentLoader(new ObjectMapper());

  // The linkIds of the questionnaire are part of the product contract (docs/rules.md), and issue
  // 22 adds eight items with their severities and makes active proctitis or an IBD flare absolute.
  @Test
  void shippedQuestionnaireHasTheContractLinkIdsAndSeverities() {
    ContraindicationQuestionnaire questionnaire = ShippedContent.questionnaire();

    Map<String, Severity> severities = questionnaire.items().stream()
        .collect(Collectors.toMap(ContraindicationItem::linkId, ContraindicationItem::severity));

    assertThat(questionnaire.version()).isEqualTo("0.2.0");
    assertThat(severities).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("indication", Severity.GATE),
        Map.entry("acute-infection", Severity.ABSOLUTE),
        Map.entry("recent-acute-prostatitis", Severity.ABSOLUTE),
        Map.entry("prostate-abscess", Severity.ABSOLUTE),
        Map.entry("urinary-infection", Severity.ABSOLUTE),
        Map.entry("urinary-retention", Severity.ABSOLUTE),
        Map.entry("prostate-cancer", Severity.ABSOLUTE),
        Map.entry("anorectal-cancer", Severity.ABSOLUTE),
        Map.entry("proctitis-ibd", Severity.ABSOLUTE),
        Map.entry("ibd-remission", Severity.RELATIVE),
        Map.entry("psa-abnormal", Severity.RELATIVE),
        Map.entry("prostatic-calculi", Severity.RELATIVE),
        Map.entry("recent-procedure", Severity.RELATIVE),
        Map.entry("anorectal-disease", Severity.RELATIVE),
        Map.entry("anal-stenosis-prolapse", Severity.RELATIVE),
        Map.entry("rectal-bleeding", Severity.RELATIVE),
        Map.entry("bleeding-risk", Severity.RELATIVE),
        Map.entry("immunosuppression", Severity.RELATIVE),
        Map.entry("spinal-cord-injury", Severity.RELATIVE),
        Map.entry("reduced-sensation", Severity.RELATIVE),
        Map.entry("urinary-catheter", Severity.RELATIVE),
        Map.entry("latex-allergy", Severity.INFO),
        Map.entry("performer", Severity.INFO),
        Map.entry("understanding", Severity.INFO)));
    assertThat(questionnaire.items()).allSatisfy(item -> {
      assertThat(item.rationale()).isNotBlank();
      assertThat(item.trace()).isNotBlank();
    });
    assertThat(questionnaire.ruleOutReasons()).extracting(Coded::code)
        .contains("examined-today", "records-checked-today");
  }

  // docs/api.md: yes / no / don't-know answers are the three yesnodontknow codings, inline.
  @Test
  void yesNoItemsOfferExactlyTheYesNoDontKnowCodings() {
    ContraindicationItem acute = ShippedContent.questionnaire().item("acute-infection").orElseThrow();

    assertThat(acute.answerOptions()).extracting(Coded::system, Coded::code).containsExactly(
        org.assertj.core.groups.Tuple.tuple(YesNoUnknown.YES_NO_SYSTEM, "Y"),
        org.assertj.core.groups.Tuple.tuple(YesNoUnknown.YES_NO_SYSTEM, "N"),
        org.assertj.core.groups.Tuple.tuple(YesNoUnknown.UNKNOWN_SYSTEM, "asked-unknown"));
  }

  // docs/clinical-rules.md, code matching: ICD-10-CM matches by code and descendants, SNOMED CT by listed codes.
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

  // content/README.md, catalog.json: "overrideReasons (required) names the value set of the reasons
  // the item's critical and warning CDS cards offer ..., each an exact code with its display".
  @Test
  void aCatalogItemNeedsOverrideReasonsAsExactCodesWithDisplays(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Path catalog = copy.resolve("catalog.json");
    String shipped = Files.readString(catalog);
    Files.writeString(catalog, shipped.replace("ValueSet/card-override-reasons", "ValueSet/no-such-reasons"));
    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).containsExactly(
            "catalog.json: items[prostate-massage].overrideReasons: no value set has url "
                + "http://prostateed.org/fhir/ValueSet/no-such-reasons"));

    Files.writeString(catalog, shipped.replace("ValueSet/card-override-reasons", "ValueSet/anorectal-disease"));
    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).singleElement()
            .asString().contains("must list each reason as an exact code with its display"));

    Files.writeString(catalog, shipped.replace(
        "      \"overrideReasons\": \"http://prostateed.org/fhir/ValueSet/card-override-reasons\",\n", ""));
    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).singleElement()
            .asString().contains("overrideReasons").contains("is missing"));
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
        .putArray("filter").addObject().put("property", "concept").put("op", "is-a").put("value", "2857-1")
        .set("extension", json.readTree(CODE_SOURCE));
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

  // Issue 24: a draft speaks the handout's language, so a translation names its own draft mark.
  @Test
  void aTranslationWithoutItsDraftMarkFails(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Path handout = copy.resolve("handouts/prostate-massage/prostate-massage.es.md");
    Files.writeString(handout, Files.readString(handout).replaceFirst("draftMark: .*\n", ""));

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).containsExactly(
            "handouts/prostate-massage/prostate-massage.es.md: front matter.draftMark: "
                + "a translation names the words that mark a draft in its language"));
  }

  @Test
  void brokenJsonFailsNamingTheFile(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Files.writeString(copy.resolve("valuesets/bleeding-risk.json"), "{ not json");

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems())
            .anySatisfy(problem -> assertThat(problem).startsWith("valuesets/bleeding-risk.json: is not valid JSON")));
  }

  // Issue 22: "every shipped code has a source (URL and date) and a test fails on a code without one".
  @Test
  void everyShippedCodeHasASourceAndACodeWithoutOneFails(@TempDir Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(ShippedContent.folder().resolve("valuesets"))) {
      for (Path file : files.toList()) {
        for (JsonNode include : json.readTree(file.toFile()).path("compose").path("include")) {
          for (JsonNode code : concat(include.path("concept"), include.path("filter"))) {
            JsonNode source = code.path("extension").path(0);
            assertThat(source.path("url").asText()).as(file + " " + code).endsWith("/code-source");
            assertThat(source.path("extension").findValuesAsText("valueUri")).as(file + " " + code)
                .singleElement().asString().startsWith("http");
            assertThat(source.path("extension").findValuesAsText("valueDate")).as(file + " " + code).hasSize(1);
          }
        }
      }
    }

    Path copy = copyOfShipped(dir);
    Path valueSet = copy.resolve("valuesets/prostate-cancer.json");
    ObjectNode tree = (ObjectNode) json.readTree(valueSet.toFile());
    ((ObjectNode) tree.path("compose").path("include").path(0).path("filter").path(0)).remove("extension");
    json.writeValue(valueSet.toFile(), tree);

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).containsExactly(
            "valuesets/prostate-cancer.json: compose.include.filter[C61]: has no code-source (the url of a public"
                + " page confirming the code, and the date it was checked)"));
  }

  // Issue 22: "Each sign carries its route as data ... and a test compares the parsed signs and
  // routes of every language."
  @Test
  void everyLanguageListsTheSameStopSignsUnderTheSameRoutes() {
    ContentLibrary library = ShippedContent.library();
    List<String> defined = library.stopSigns().signs().stream().map(sign -> sign.route() + ":" + sign.id()).toList();
    assertThat(defined).contains("emergency:fever-with-chills", "emergency:cannot-pass-urine",
        "emergency:heavy-bleeding", "emergency:very-unwell", "clinic:fever", "clinic:blood-in-urine-or-semen",
        "clinic:bad-pain", "clinic:burning");

    List<HandoutVersion> handouts = library.handouts();
    assertThat(handouts).extracting(HandoutVersion::language).contains("en", "es");
    for (HandoutVersion handout : handouts) {
      assertThat(handout.markup().stopSigns()).as(handout.key())
          .extracting(sign -> sign.route() + ":" + sign.id()).containsExactlyInAnyOrderElementsOf(defined);
      assertThat(handout.markup().placeholders()).as(handout.key())
          .contains("emergency.number", "clinic.name", "clinic.phone");
    }
  }

  @Test
  void aSignUnderAnotherRouteOrLeftOutFails(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Path spanish = copy.resolve("handouts/prostate-massage/prostate-massage.es.md");
    Files.writeString(spanish, Files.readString(spanish)
        .replace("{clinic:fever}", "{emergency:fever}")
        .replaceFirst("(?m)^- \\{clinic:burning\\}.*\n", ""));

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).containsExactly(
            "handouts/prostate-massage/prostate-massage.es.md: stop signs: fever is listed under 'emergency', but"
                + " stop-signs.json routes it to 'clinic'",
            "handouts/prostate-massage/prostate-massage.es.md: stop signs: burning missing (every sign of"
                + " stop-signs.json must be listed)"));
  }

  // Issue 22: "the handout then carries an item-specific section for the unknown, for every
  // absolute item".
  @Test
  void anAbsoluteItemWithoutItsDontKnowSectionFails(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Path english = copy.resolve("handouts/prostate-massage/prostate-massage.en.md");
    Files.writeString(english, Files.readString(english)
        .replace("::: show-if anorectal-cancer=asked-unknown", "::: show-if anorectal-cancer=Y"));

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).containsExactly(
            "handouts/prostate-massage/prostate-massage.en.md: body: absolute item anorectal-cancer has no"
                + " 'show-if anorectal-cancer=asked-unknown' section"));
  }

  @Test
  void anUnknownPlaceholderOrSectionConditionFails(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    Path english = copy.resolve("handouts/prostate-massage/prostate-massage.en.md");
    Files.writeString(english, Files.readString(english)
        .replace("{{clinic.phone}}.\n", "{{clinic.fax}}.\n")
        .replace("::: show-if performer=clinician", "::: show-if performer=surgeon"));

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).containsExactly(
            "handouts/prostate-massage/prostate-massage.en.md: body: {{clinic.fax}} is neither a site contact"
                + " [clinic.name, clinic.phone, emergency.number] nor a setting (settings.<key>)",
            "handouts/prostate-massage/prostate-massage.en.md: section 'show-if performer=surgeon': surgeon is not"
                + " an answer of performer"));
  }

  @Test
  void aSettingWithoutItsSourceFails(@TempDir Path dir) throws IOException {
    Path copy = copyOfShipped(dir);
    ObjectMapper json = new ObjectMapper();
    Path settings = copy.resolve("settings.json");
    ObjectNode tree = (ObjectNode) json.readTree(settings.toFile());
    ((ObjectNode) tree.path("sources")).remove("windowWeeks.recent-acute-prostatitis");
    ((ObjectNode) tree.path("values")).remove("noBenefitReviewWeeks");
    json.writeValue(settings.toFile(), tree);

    assertThatThrownBy(() -> loader.load(copy))
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.problems()).containsExactly(
            "settings.json: values.noBenefitReviewWeeks: must be set to a number, zero or more",
            "settings.json: sources.windowWeeks.recent-acute-prostatitis: is missing: say where the value comes"
                + " from, or that it is a product decision for the clinical owner to confirm"));
  }

  private static final String CODE_SOURCE = "[{\"url\": \"http://prostateed.org/fhir/StructureDefinition/code-source\","
      + " \"extension\": [{\"url\": \"url\", \"valueUri\": \"https://loinc.org/2857-1/\"},"
      + " {\"url\": \"checked\", \"valueDate\": \"2026-12-02\"}]}]";

  private static List<JsonNode> concat(JsonNode first, JsonNode second) {
    List<JsonNode> all = new java.util.ArrayList<>();
    first.forEach(all::add);
    second.forEach(all::add);
    return all;
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
