package org.prostateed.handout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.prostateed.content.HandoutVersion;
import org.prostateed.content.PublicationStatus;

class HandoutRendererTest {

  private final HandoutRenderer renderer = new HandoutRenderer(java.util.Map.of("clinic.name", "Test Clinic", "clinic.phone", "555 0100", "emergency.number", "911"));

  private static HandoutVersion version(PublicationStatus status, String title) {
    return new HandoutVersion("h", "1.0.0", "en", title, status, LocalDate.of(2030, 1, 1), "seed", List.of("ref"), java.util.Optional.empty(), java.util.Optional.empty(), "", org.prostateed.content.HandoutMarkup.parse(""), new byte[0], "0");
  }

  private Document render(PublicationStatus status, String title, String markdown) {
    return Jsoup.parse(new String(renderer.page(version(status, title), markdown, false), StandardCharsets.UTF_8));
  }

  // docs/clinical-rules.md, "Governance": every rendering of draft content carries the DRAFT watermark.
  @Test
  void draftIsWatermarkedAndActiveIsNot() {
    assertThat(render(PublicationStatus.DRAFT, "T", "text").select(".watermark"))
        .extracting(element -> element.text())
        .containsExactly("DRAFT - not clinically reviewed", "DRAFT - not clinically reviewed");
    assertThat(render(PublicationStatus.ACTIVE, "T", "text").select(".watermark")).isEmpty();
  }

  // Issue 24: the draft mark speaks the handout's language when the handout names one.
  @Test
  void aDraftIsMarkedInTheHandoutsOwnWords() {
    HandoutVersion spanish = new HandoutVersion("h", "1.0.0", "es", "T", PublicationStatus.DRAFT, LocalDate.of(2030, 1, 1),
        "seed", List.of("ref"), java.util.Optional.empty(), java.util.Optional.of("BORRADOR: sin revisión clínica"), "",
        org.prostateed.content.HandoutMarkup.parse(""), new byte[0], "0");
    Document page = Jsoup.parse(new String(renderer.page(spanish, "texto", false), StandardCharsets.UTF_8));
    assertThat(page.select(".watermark")).extracting(element -> element.text())
        .containsExactly("BORRADOR: sin revisión clínica", "BORRADOR: sin revisión clínica");
  }

  // "Markdown to sanitised HTML (no raw HTML or script passes through)".
  @Test
  void hostileMarkdownIsNeutralised() {
    Document page = render(PublicationStatus.ACTIVE, "<script>alert(1)</script>", """
        ## Heading
        <script>alert('x')</script>
        <img src=x onerror=alert(2)>
        [click](javascript:alert(3))
        <a href="https://example.org" onclick="alert(4)">ok</a>
        """);

    assertThat(page.select("script")).isEmpty();
    assertThat(page.select("img")).isEmpty();
    assertThat(page.select("[onclick], [onerror]")).isEmpty();
    assertThat(page.select("a[href^=javascript]")).isEmpty();
    assertThat(page.select("h1").text()).isEqualTo("<script>alert(1)</script>");
    assertThat(page.select("h2").text()).isEqualTo("Heading");
  }

  @Test
  void theStopBoxBlockQuoteAndNumberedStepsSurvive() {
    Document page = render(PublicationStatus.ACTIVE, "T", """
        > **Stop and get help now if:**
        > - fever

        1. one
        2. two
        """);

    assertThat(page.select("blockquote strong").text()).isEqualTo("Stop and get help now if:");
    assertThat(page.select("ol > li")).extracting(element -> element.text()).containsExactly("one", "two");
  }
}
