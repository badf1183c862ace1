package org.prostateed.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.content.ContentApproval;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.content.ContentLoaderTestAccess;
import org.prostateed.content.HandoutVersion;
import org.prostateed.content.TranslationRecord;
import org.prostateed.content.ShippedContent;

/**
 * docs/clinical-rules.md, "Governance": only content that is active, approved and within its review
 * date is given, and draft content is shown in demo mode only.
 */
class HandoutChoiceTest {

  private static final String EN = "handouts/prostate-massage/prostate-massage.en.md";
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

  @Test
  void draftsAreGivenOnlyInDemoMode() {
    ContentLibrary library = ShippedContent.library();

    assertThat(new HandoutChoice(library, false).choose("prostate-massage", List.of("en"), TODAY)).isEmpty();
    assertThat(new HandoutChoice(library, true).choose("prostate-massage", List.of("en"), TODAY))
        .get().extracting(HandoutVersion::language).isEqualTo("en");
  }

  @Test
  void anActiveApprovedVersionIsGivenUntilItIsEditedOrPastReview(@TempDir Path dir) throws IOException {
    Path copy = ContentLoaderTestAccess.copyOfShipped(dir);
    Path english = copy.resolve(EN);
    Files.writeString(english, Files.readString(english).replaceFirst("status: draft", "status: active"));
    new ContentApproval(new ObjectMapper()).approve(copy, EN, "Dr Ada Example", "Consultant urologist", TODAY);
    HandoutChoice production = new HandoutChoice(load(copy), false);

    assertThat(production.choose("prostate-massage", List.of("es", "en"), TODAY))
        .as("the Spanish draft is skipped for the approved English version")
        .get().extracting(HandoutVersion::language).isEqualTo("en");
    LocalDate reviewDue = load(copy).handoutVersions("prostate-massage", "en").get(0).reviewDue();
    assertThat(production.choose("prostate-massage", List.of("en"), reviewDue)).as("on its review date").isPresent();
    assertThat(production.choose("prostate-massage", List.of("en"), reviewDue.plusDays(1)))
        .as("past its review date").isEmpty();

    Files.writeString(english, Files.readString(english) + "\nAn edit after approval.\n");

    assertThat(new HandoutChoice(load(copy), false).choose("prostate-massage", List.of("en"), TODAY))
        .as("edited after approval").isEmpty();
  }

  // Issue 22: "a Spanish handout is not givable once the English it was translated from has
  // changed, until it is re-translated and approved".
  @Test
  void aTranslationIsNotGivenOnceItsOriginalHasChanged(@TempDir Path dir) throws IOException {
    Path copy = ContentLoaderTestAccess.copyOfShipped(dir);
    HandoutChoice demo = new HandoutChoice(load(copy), true);
    HandoutVersion spanish = load(copy).handoutVersions("prostate-massage", "es").get(0);
    assertThat(demo.whyNotGivable(spanish, TODAY)).as("the shipped translation is in step").isEmpty();

    Path english = copy.resolve(EN);
    Files.writeString(english, Files.readString(english) + "\nA new English sentence.\n");
    ContentLibrary edited = load(copy);
    HandoutChoice afterEdit = new HandoutChoice(edited, true);

    assertThat(afterEdit.whyNotGivable(edited.handoutVersions("prostate-massage", "es").get(0), TODAY))
        .get().asString().contains("prostate-massage|es|0.2.0 was translated from en 0.2.0", "translate it again");
    assertThat(afterEdit.choose("prostate-massage", List.of("es"), TODAY))
        .as("a Spanish-speaking patient gets the current English instead")
        .get().extracting(HandoutVersion::language).isEqualTo("en");

    TranslationRecord.record(copy, "handouts/prostate-massage/prostate-massage.es.md");

    assertThat(new HandoutChoice(load(copy), true).choose("prostate-massage", List.of("es"), TODAY))
        .as("re-translated").get().extracting(HandoutVersion::language).isEqualTo("es");
  }

  @Test
  void aRetiredVersionIsNeverGiven(@TempDir Path dir) throws IOException {
    Path copy = ContentLoaderTestAccess.copyOfShipped(dir);
    Path english = copy.resolve(EN);
    Files.writeString(english, Files.readString(english).replaceFirst("status: draft", "status: retired"));

    assertThat(new HandoutChoice(load(copy), true).choose("prostate-massage", List.of("en"), TODAY)).isEmpty();
  }

  private static ContentLibrary load(Path root) {
    return new ContentLoader(new ObjectMapper()).load(root);
  }
}
