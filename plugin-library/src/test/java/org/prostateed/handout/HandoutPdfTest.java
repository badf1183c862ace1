package org.prostateed.handout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.interactive.action.PDAction;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Test;
import org.prostateed.content.Coded;
import org.prostateed.content.HandoutVersion;
import org.prostateed.content.PublicationStatus;
import org.prostateed.content.ShippedContent;
import org.prostateed.engine.Answers;
import org.prostateed.engine.HandoutPersonalisation;

class HandoutPdfTest {

  private static final String PERFORMER_SYSTEM = "http://prostateed.org/fhir/CodeSystem/massage-performer";

  private static final SiteContacts SITE = new SiteContacts("Riverside Urology", "+1 (555) 010-0199", "911");

  private final HandoutRenderer renderer = HandoutRenderer.of(SITE, ShippedContent.library().settings());
  private final HandoutPdf converter = new HandoutPdf();

  private static HandoutVersion version(PublicationStatus status, String language, String title) {
    return new HandoutVersion("h", "1.0.0", language, title, status, LocalDate.of(2030, 1, 1), "seed",
        List.of("ref"), java.util.Optional.empty(), java.util.Optional.empty(), "", org.prostateed.content.HandoutMarkup.parse(""), new byte[0], "0");
  }

  private byte[] pdf(PublicationStatus status, String title, String markdown) {
    return converter.pdf(renderer.page(version(status, "en", title), markdown, false));
  }

  private static String text(byte[] pdf) {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(document).replaceAll("\\s+", " ").trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The real English handout for a partner/carer with an acknowledged bleeding risk. */
  private byte[] shippedHandoutPage(String language, boolean largePrint) {
    HandoutVersion handout = ShippedContent.library().handoutVersions("prostate-massage", language).get(0);
    Answers answers = new Answers(Map.of("performer", new Coded(PERFORMER_SYSTEM, "partner-carer", null)));
    String markdown = new HandoutPersonalisation()
        .personalise(handout.markdown(), answers, Set.of("bleeding-risk")).markdown();
    return renderer.page(handout, markdown, largePrint);
  }

  // docs/clinical-rules.md, "Governance": every rendering of draft content carries the DRAFT watermark.
  @Test
  void draftIsWatermarkedAndActiveIsNot() throws IOException {
    byte[] draft = pdf(PublicationStatus.DRAFT, "T", "text");
    assertThat(text(draft)).contains(HandoutVersion.ENGLISH_DRAFT_MARK);
    assertThat(text(pdf(PublicationStatus.RETIRED, "T", "text"))).contains(HandoutVersion.ENGLISH_DRAFT_MARK);
    assertThat(text(pdf(PublicationStatus.ACTIVE, "T", "text")))
        .contains("T text")
        .doesNotContain("DRAFT")
        .doesNotContain("not clinically reviewed");
  }

  @Test
  void everyPageOfALongDraftCarriesTheWatermark() throws IOException {
    try (PDDocument document = Loader.loadPDF(converter.pdf(shippedHandoutPage("en", false)))) {
      assertThat(document.getNumberOfPages()).isGreaterThan(1);
      PDFTextStripper stripper = new PDFTextStripper();
      for (int page = 1; page <= document.getNumberOfPages(); page++) {
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        assertThat(stripper.getText(document).replaceAll("\\s+", " ")).as("page %d", page)
            .contains(HandoutVersion.ENGLISH_DRAFT_MARK);
      }
    }
  }

  // "Markdown to sanitised HTML (no raw HTML or script passes through)": nothing live reaches the PDF either.
  @Test
  void hostileMarkdownIsPrintedAsInertTextWithoutScriptActions() throws IOException {
    byte[] pdf = pdf(PublicationStatus.ACTIVE, "<script>alert(1)</script>", """
        ## Heading

        <script>alert('x')</script>

        <img src=x onerror=alert(2)>

        [click](javascript:alert(3))

        <a href="https://example.org" onclick="alert(4)">ok</a>

        [safe](https://example.org/safe "alert(5)")
        """);

    String text = text(pdf);
    // The title and the raw HTML are escaped by the renderer, so they are printed as literal text.
    assertThat(text).contains("<script>alert(1)</script>", "Heading", "<img src=x onerror=alert(2)>");
    // Attribute values the sanitizer removed (link title) never become content.
    assertThat(text).doesNotContain("alert(5)");

    try (PDDocument document = Loader.loadPDF(pdf)) {
      assertThat(document.getDocumentCatalog().getOpenAction()).isNull();
      assertThat(document.getDocumentCatalog().getNames()).isNull();
      assertThat(document.getDocumentCatalog().getCOSObject().containsKey(COSName.AA)).isFalse();
      List<String> linkTargets = new ArrayList<>();
      for (PDPage page : document.getPages()) {
        assertThat(page.getCOSObject().containsKey(COSName.AA)).isFalse();
        assertThat(page.getResources().getXObjectNames()).as("no images").isEmpty();
        for (PDAnnotation annotation : page.getAnnotations()) {
          assertThat(annotation.getCOSObject().containsKey(COSName.AA)).isFalse();
          assertThat(annotation).isInstanceOf(PDAnnotationLink.class);
          PDAction action = ((PDAnnotationLink) annotation).getAction();
          assertThat(action).isNotInstanceOf(PDActionJavaScript.class).isInstanceOf(PDActionURI.class);
          linkTargets.add(((PDActionURI) action).getURI());
        }
      }
      // The only live link is the safe https one, so the annotation check above was not vacuous.
      assertThat(linkTargets).containsExactly("https://example.org/safe");
    }
  }

  @Test
  void theSectionsChosenForTheAnswersArePrinted() {
    String text = text(converter.pdf(shippedHandoutPage("en", false)));

    assertThat(text).contains("Prostate massage: how to do it safely", "Stop and get help if you have any of these signs.");
    // performer=partner-carer
    assertThat(text).contains("If you are the helper", "Agree on a word that means stop.");
    // acknowledged=bleeding-risk
    assertThat(text).contains("If you bleed easily", "You take a blood thinner, or you bleed easily.");
    // performer=patient and performer=clinician, and the other acknowledgements, are left out
    assertThat(text).doesNotContain("Slide one finger slowly into your bottom", "If your doctor or nurse does it")
        .doesNotContain("Your PSA test", "Stones in your prostate");
    // a setting the handout shows
    assertThat(text).contains("If it has not helped after 4 weeks, stop.");
  }

  // Issue 22: "The numbers are the site's ... rendered into the HTML and PDF", in every language.
  @Test
  void theSiteContactNumbersArePrintedInEveryLanguage() {
    for (String language : List.of("en", "es")) {
      byte[] page = shippedHandoutPage(language, false);
      String html = org.jsoup.Jsoup.parse(new String(page, java.nio.charset.StandardCharsets.UTF_8)).text();
      String pdf = text(converter.pdf(page));
      for (String shown : List.of(html, pdf)) {
        assertThat(shown).as(language).contains("Riverside Urology", "+1 (555) 010-0199", "911")
            .doesNotContain("{{", "}}", "{emergency:", "{clinic:");
      }
    }
  }

  @Test
  void theSameHandoutGivesTheSameBytes() throws IOException {
    byte[] page = shippedHandoutPage("en", false);
    byte[] first = converter.pdf(page);
    byte[] second = new HandoutPdf().pdf(page.clone());

    assertThat(second).isEqualTo(first);
    try (PDDocument document = Loader.loadPDF(first)) {
      assertThat(document.getDocumentInformation().getProducer()).isEqualTo(HandoutPdf.PRODUCER);
      assertThat(document.getDocumentInformation().getCreationDate().toInstant())
          .hasToString("2000-01-01T00:00:00Z");
      assertThat(document.getDocumentInformation().getModificationDate().toInstant())
          .hasToString("2000-01-01T00:00:00Z");
      assertThat(document.getDocument().getTrailer().getCOSArray(COSName.ID)).hasSize(2);
    }
  }

  @Test
  void spanishAccentsSurviveInTheBase14Fonts() throws IOException {
    byte[] pdf = converter.pdf(renderer.page(version(PublicationStatus.ACTIVE, "es", "Masaje de próstata"), """
        ¿Me va a ayudar? ¡Pare enseguida! Córtese las uñas. Está justo debajo. Nadie lo sabe.
        Pregunte a su médico. Acuéstese de lado. Días ÁÉÍÓÚ Ññ Üü.
        """, false));

    assertThat(text(pdf)).contains("Masaje de próstata", "¿Me va a ayudar?", "¡Pare enseguida!",
        "Córtese las uñas.", "Está justo debajo.", "Pregunte a su médico.", "Acuéstese de lado.",
        "Días ÁÉÍÓÚ Ññ Üü.");
    try (PDDocument document = Loader.loadPDF(pdf)) {
      for (PDPage page : document.getPages()) {
        assertThat(page.getMediaBox().getWidth()).isCloseTo(PDRectangle.A4.getWidth(), offset(1f));
        assertThat(page.getMediaBox().getHeight()).isCloseTo(PDRectangle.A4.getHeight(), offset(1f));
        for (COSName name : page.getResources().getFontNames()) {
          PDFont font = page.getResources().getFont(name);
          assertThat(font.isStandard14()).as(font.getName()).isTrue();
          assertThat(font.isEmbedded()).as(font.getName()).isFalse();
        }
      }
    }
  }

  @Test
  void theRealSpanishHandoutKeepsItsAccents() {
    assertThat(text(converter.pdf(shippedHandoutPage("es", false))))
        .contains("Masaje de próstata: cómo hacerlo de forma segura", "¿Me va a ayudar?", "Córtese las uñas");
  }

  @Test
  void largePrintUsesBiggerTextAndMorePages() throws IOException {
    byte[] normal = converter.pdf(shippedHandoutPage("en", false));
    byte[] large = converter.pdf(shippedHandoutPage("en", true));

    assertThat(bodyFontSize(large)).isGreaterThan(bodyFontSize(normal) * 1.2f);
    try (PDDocument normalDocument = Loader.loadPDF(normal); PDDocument largeDocument = Loader.loadPDF(large)) {
      assertThat(largeDocument.getNumberOfPages()).isGreaterThan(normalDocument.getNumberOfPages());
    }
  }

  @Test
  void nothingIsFetchedWhileRendering() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger requests = new AtomicInteger();
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      String html = """
          <!DOCTYPE html><html><head><link rel="stylesheet" href="%1$s/a.css"/>
          <style>@import url("%1$s/b.css"); body { background: url("%1$s/c.png"); }</style></head>
          <body><p>hello</p><img src="%1$s/d.png"/><img src="file:///etc/hostname"/>
          <object data="%1$s/e.pdf"></object></body></html>
          """.formatted(base);

      assertThat(text(converter.pdf(html.getBytes(StandardCharsets.UTF_8)))).contains("hello");
      assertThat(requests).hasValue(0);
    } finally {
      server.stop(0);
    }
  }

  /** The font size (pt) carrying the most characters, i.e. the body text. */
  private static float bodyFontSize(byte[] pdf) throws IOException {
    Map<Float, Integer> charactersBySize = new HashMap<>();
    PDFTextStripper stripper = new PDFTextStripper() {
      @Override
      protected void writeString(String text, List<TextPosition> positions) throws IOException {
        for (TextPosition position : positions) {
          charactersBySize.merge(Math.round(position.getFontSizeInPt() * 10) / 10f, 1, Integer::sum);
        }
        super.writeString(text, positions);
      }
    };
    try (PDDocument document = Loader.loadPDF(pdf)) {
      stripper.getText(document);
    }
    return charactersBySize.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }
}
