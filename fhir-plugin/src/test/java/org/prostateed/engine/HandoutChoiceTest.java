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
import org.prostateed.content.ShippedContent;

/**
 * CLINICAL.md section 5: "Only active, approved, in-review-date content is given." and "Draft
 * content may be shown only in demo mode".
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
    assertThat(production.choose("prostate-massage", List.of("en"), LocalDate.of(2028, 11, 26)))
        .as("past its review date").isEmpty();

    Files.writeString(english, Files.readString(english) + "\nAn edit after approval.\n");

    assertThat(new HandoutChoice(load(copy), false).choose("prostate-massage", List.of("en"), TODAY))
        .as("edited after approval").isEmpty();
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
