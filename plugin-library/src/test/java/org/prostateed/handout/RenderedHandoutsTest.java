package org.prostateed.handout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.prostateed.content.HandoutVersion;
import org.prostateed.content.PublicationStatus;

/** Remembered renderings are exactly what rendering afresh gives, per text, version status and print size. */
class RenderedHandoutsTest {

  private final HandoutRenderer renderer = new HandoutRenderer(java.util.Map.of("clinic.name", "Test Clinic", "clinic.phone", "555 0100", "emergency.number", "911"));
  private final HandoutPdf pdf = new HandoutPdf();

  private static HandoutVersion version(PublicationStatus status) {
    return new HandoutVersion("h", "1.0.0", "en", "Title", status, LocalDate.of(2030, 1, 1), "seed",
        List.of("ref"), java.util.Optional.empty(), java.util.Optional.empty(), "", org.prostateed.content.HandoutMarkup.parse(""), new byte[0], "0");
  }

  @Test
  void aRememberedRenderingHasTheBytesOfAFreshOne() {
    RenderedHandouts rendered = new RenderedHandouts(renderer, pdf::pdf, 4);
    HandoutVersion draft = version(PublicationStatus.DRAFT);
    RenderedHandouts.Rendered first = rendered.render(draft, "# Text\n\nOne.", false);
    RenderedHandouts.Rendered again = rendered.render(draft, "# Text\n\nOne.", false);
    byte[] freshHtml = renderer.page(draft, "# Text\n\nOne.", false);
    assertThat(first.html()).isEqualTo(freshHtml).isEqualTo(again.html());
    assertThat(first.pdf()).isEqualTo(pdf.pdf(freshHtml)).isEqualTo(again.pdf());
  }

  @Test
  void eachTextStatusAndPrintSizeIsRenderedOnItsOwnAndOnlyOnce() {
    AtomicInteger made = new AtomicInteger();
    java.util.function.UnaryOperator<byte[]> counting = page -> {
      made.incrementAndGet();
      return pdf.pdf(page);
    };
    RenderedHandouts rendered = new RenderedHandouts(renderer, counting, 8);
    byte[] one = rendered.render(version(PublicationStatus.DRAFT), "One.", false).pdf();
    byte[] two = rendered.render(version(PublicationStatus.DRAFT), "Two.", false).pdf();
    byte[] large = rendered.render(version(PublicationStatus.DRAFT), "One.", true).pdf();
    byte[] active = rendered.render(version(PublicationStatus.ACTIVE), "One.", false).pdf();
    rendered.render(version(PublicationStatus.DRAFT), "One.", false);
    assertThat(made.get()).isEqualTo(4);
    assertThat(List.of(one, two, large, active)).doesNotHaveDuplicates();
    assertThat(one).isNotEqualTo(active);
  }

  @Test
  void itForgetsTheLeastRecentlyUsedBeyondItsCapacity() {
    RenderedHandouts rendered = new RenderedHandouts(renderer, pdf::pdf, 2);
    for (String text : List.of("A.", "B.", "C.")) {
      rendered.render(version(PublicationStatus.DRAFT), text, false);
    }
    assertThat(rendered.size()).isEqualTo(2);
  }

  @Test
  void whatACallerDoesWithTheBytesNeverReachesTheNextCaller() {
    RenderedHandouts rendered = new RenderedHandouts(renderer, pdf::pdf, 2);
    byte[] html = rendered.render(version(PublicationStatus.DRAFT), "Text.", false).html();
    byte[] kept = html.clone();
    java.util.Arrays.fill(html, (byte) 0);
    assertThat(rendered.render(version(PublicationStatus.DRAFT), "Text.", false).html()).isEqualTo(kept);
  }
}
