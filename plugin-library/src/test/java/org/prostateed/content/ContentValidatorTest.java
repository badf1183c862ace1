package org.prostateed.content;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.content.ContentValidator.Finding;
import org.prostateed.content.ContentValidator.Level;
import org.prostateed.fhir.FhirArtifactCheck;

/**
 * Issue 3: "content validate passes on the shipped library and fails, with the right message, on a
 * set of broken fixtures (one per rule above)". Each fixture is the shipped library with one thing
 * broken.
 */
class ContentValidatorTest {

  private static final Clock TODAY = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  private static final FhirArtifactCheck FHIR = new FhirArtifactCheck(FhirContext.forR4Cached());
  private static final String QUESTIONNAIRE = "questionnaire/prostate-massage-contraindications.json";
  private static final String HANDOUT = "handouts/prostate-massage/prostate-massage.en.md";

  private final ContentValidator validator = new ContentValidator(new ObjectMapper(), List.of(FHIR), TODAY);

  @Test
  void theShippedLibraryHasNoErrors() {
    ContentValidator.Report report = validator.validate(ShippedContent.folder());

    assertThat(report.findings()).filteredOn(f -> f.level() == Level.ERROR).isEmpty();
    assertThat(report.ok()).isTrue();
    assertThat(report.findings()).filteredOn(f -> f.level() == Level.WARNING)
        .extracting(Finding::message).allMatch(message -> message.contains("draft"));
  }

  @Test
  void fhirValidationRejectsAnInvalidResource(@TempDir Path dir) throws IOException {
    Path copy = broken(dir, "valuesets/bleeding-risk.json", json -> json.replace("\"status\": \"draft\"", "\"status\": \"maybe\""));

    assertThat(errors(copy)).anySatisfy(finding -> {
      assertThat(finding.where()).startsWith("valuesets/bleeding-risk.json: ValueSet.status");
      assertThat(finding.message()).contains("maybe");
    });
  }

  // docs/clinical-rules.md, "The handout": English aims at Flesch-Kincaid grade 6.0 or below; above 8.0 validation fails.
  @Test
  void aHandoutAboveGradeEightFails(@TempDir Path dir) throws IOException {
    String dense = "Notwithstanding considerable methodological heterogeneity, contemporaneous investigations"
        + " substantiating therapeutic prostatic manipulation demonstrate inconsistent symptomatological"
        + " amelioration, necessitating individualised consideration.\n\n";
    Path copy = broken(dir, HANDOUT, text -> text + "\n## Evidence\n\n" + dense.repeat(40));

    assertThat(errors(copy)).anySatisfy(finding -> {
      assertThat(finding.where()).isEqualTo(HANDOUT + ": readability");
      assertThat(finding.message()).startsWith(Readability.FLESCH_KINCAID_GRADE).contains("beyond the limit of 8.0");
    });
  }

  @Test
  void anItemWithoutRationaleFails(@TempDir Path dir) throws IOException {
    Path copy = broken(dir, "questionnaire/prostate-massage-contraindications.json",
        json -> json.replaceFirst("\"url\": \"http://prostateed.org/fhir/StructureDefinition/item-rationale\"",
            "\"url\": \"http://prostateed.org/fhir/StructureDefinition/item-rationale-typo\""));

    assertThat(errors(copy)).extracting(Finding::toString).contains(
        "ERROR questionnaire/prostate-massage-contraindications.json: item[indication].extension[item-rationale]: is missing");
  }

  @Test
  void malformedCodesFail(@TempDir Path dir) throws IOException {
    Path copy = broken(dir, "valuesets/qualifying-bph.json", json -> json
        .replace("\"value\": \"N40.0\"", "\"value\": \"N40.0!\"")
        // The expansion lists the rule's own code too; changed alike, it stays below the rule.
        .replace("\"code\": \"N40.0\"", "\"code\": \"N40.0!\"")
        .replace("\"code\": \"266569009\"", "\"code\": \"266569008\""));

    assertThat(errors(copy)).extracting(Finding::message)
        .anySatisfy(message -> assertThat(message).contains("'N40.0!' is not an ICD-10-CM code"))
        .anySatisfy(message -> assertThat(message).contains("'266569008' fails the SNOMED CT check digit"));
  }

  @Test
  void anUnverifiedCodeFails(@TempDir Path dir) throws IOException {
    Path copy = broken(dir, "valuesets/anticoagulants.json", json -> json.replaceFirst(
        "\"code\": \"1037042\"", "\"code\": \"1546356\""));

    assertThat(errors(copy)).anySatisfy(finding -> {
      assertThat(finding.where()).isEqualTo("valuesets/anticoagulants.json: compose.include");
      assertThat(finding.message()).contains("1546356 is on the unverified list");
    });
  }

  @Test
  void incompleteFrontMatterFails(@TempDir Path dir) throws IOException {
    Path copy = broken(dir, HANDOUT, text -> text.replaceFirst("source: .*\n", ""));

    assertThat(errors(copy)).extracting(Finding::toString)
        .contains("ERROR " + HANDOUT + ": front matter.source: is missing");
  }

  @Test
  void aPassedReviewDateFails(@TempDir Path dir) throws IOException {
    Path copy = broken(dir, HANDOUT, text -> text.replaceFirst("reviewDue: .*\n", "reviewDue: 2026-11-24\n"));

    assertThat(errors(copy)).extracting(Finding::toString).contains("ERROR " + HANDOUT
        + ": front matter.reviewDue: the review date 2026-11-24 has passed: review the text, then set a new date");
  }

  // docs/clinical-rules.md, "Governance": an approval is bound to the content hash, so any later edit breaks it.
  @Test
  void anEditAfterApprovalBreaksTheApproval(@TempDir Path dir) throws IOException {
    Path copy = ContentLoaderTest.copyOfShipped(dir);
    new ContentApproval(new ObjectMapper()).approve(copy, HANDOUT, "Dr Ada Example", "Consultant urologist",
        LocalDate.of(2026, 11, 25));
    assertThat(errors(copy)).isEmpty();

    Files.writeString(copy.resolve(HANDOUT), Files.readString(copy.resolve(HANDOUT)) + "\nOne more line.\n");

    assertThat(errors(copy)).singleElement().satisfies(finding -> {
      assertThat(finding.where()).isEqualTo("approvals: " + HANDOUT + " 0.2.0");
      assertThat(finding.message()).startsWith(
          "the approval by Dr Ada Example on 2026-11-25 no longer matches: the file changed after it was approved");
    });
  }

  @Test
  void anActiveVersionWithoutApprovalFails(@TempDir Path dir) throws IOException {
    Path copy = broken(dir, HANDOUT, text -> text.replaceFirst("status: draft", "status: active"));

    assertThat(errors(copy)).extracting(Finding::toString).contains("ERROR " + HANDOUT
        + ": front matter.status: is active but has no approval matching its text: run 'content approve'");
  }

  // Issue 22: "Approval records bound to the hash for the questionnaire, the value sets and the
  // settings, not only the handouts; an edit to any of them breaks its approval."
  @Test
  void theQuestionnaireValueSetsAndSettingsNeedTheirOwnApproval(@TempDir Path dir) throws IOException {
    Path copy = ContentLoaderTest.copyOfShipped(dir);
    for (String file : List.of(QUESTIONNAIRE, "valuesets/prostate-cancer.json", "settings.json")) {
      Path target = copy.resolve(file);
      Files.writeString(target, Files.readString(target).replaceFirst("\"status\": \"draft\"", "\"status\": \"active\""));
    }

    assertThat(errors(copy)).extracting(Finding::toString).contains(
        "ERROR " + QUESTIONNAIRE + ": status: is active but has no approval matching its text: run 'content approve'",
        "ERROR valuesets/prostate-cancer.json: status: is active but has no approval matching its text: run 'content approve'",
        "ERROR settings.json: status: is active but has no approval matching its text: run 'content approve'");

    ContentApproval approval = new ContentApproval(new ObjectMapper());
    for (String file : List.of(QUESTIONNAIRE, "valuesets/prostate-cancer.json", "settings.json")) {
      approval.approve(copy, file, "Dr Ada Example", "Consultant urologist", LocalDate.of(2026, 12, 2));
    }
    assertThat(errors(copy)).isEmpty();

    Path settings = copy.resolve("settings.json");
    Files.writeString(settings, Files.readString(settings).replace("\"psaThresholdNgPerMl\": 4.0", "\"psaThresholdNgPerMl\": 3.0"));

    assertThat(errors(copy)).anySatisfy(finding -> {
      assertThat(finding.where()).isEqualTo("approvals: settings.json 0.2.0");
      assertThat(finding.message()).contains("no longer matches");
    }).anySatisfy(finding -> assertThat(finding.toString()).isEqualTo(
        "ERROR settings.json: status: is active but has no approval matching its text: run 'content approve'"));
  }

  // Outside demo mode an item is given only when every file it rests on is active and approved.
  @Test
  void anItemIsReleasableOnlyWhenEveryFileItRestsOnIsApproved(@TempDir Path dir) throws IOException {
    ContentLibrary shipped = ShippedContent.library();
    assertThat(shipped.unapproved(shipped.items().get(0))).extracting(Artifact::path)
        .contains(QUESTIONNAIRE, "valuesets/prostate-cancer.json", "settings.json", "stop-signs.json")
        .doesNotContain(HANDOUT);

    Path released = ContentLoaderTestAccess.releasedCopyOfShipped(dir);
    ContentLibrary library = new ContentLoader(new ObjectMapper()).load(released);
    assertThat(library.unapproved(library.items().get(0))).isEmpty();
    assertThat(errors(released)).isEmpty();

    Path stopSigns = released.resolve("stop-signs.json");
    Files.writeString(stopSigns, Files.readString(stopSigns).replace("\"route\": \"clinic\"", "\"route\": \"clinic\" "));
    ContentLibrary edited = new ContentLoader(new ObjectMapper()).load(released);
    assertThat(edited.unapproved(edited.items().get(0))).extracting(Artifact::path).containsExactly("stop-signs.json");
  }

  private List<Finding> errors(Path root) {
    return validator.validate(root).findings().stream().filter(f -> f.level() == Level.ERROR).toList();
  }

  private static Path broken(Path dir, String file, UnaryOperator<String> edit) throws IOException {
    Path copy = ContentLoaderTest.copyOfShipped(dir);
    Path target = copy.resolve(file);
    String before = Files.readString(target);
    String after = edit.apply(before);
    assertThat(after).as("the fixture edit must change " + file).isNotEqualTo(before);
    Files.writeString(target, after);
    return copy;
  }
}
