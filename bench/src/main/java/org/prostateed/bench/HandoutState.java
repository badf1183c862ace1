package org.prostateed.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.HandoutVersion;
import org.prostateed.engine.Answers;
import org.prostateed.engine.HandoutChoice;
import org.prostateed.engine.HandoutPersonalisation;
import org.prostateed.handout.HandoutPdf;
import org.prostateed.handout.HandoutRenderer;
import org.prostateed.handout.SiteContacts;

/**
 * Inputs of {@code renderHtml} and {@code renderPdf}: the English handout as the demo server
 * chooses it (drafts allowed), the all-"no" response, nothing acknowledged, normal print; and the
 * HTML page it renders to, which {@code renderPdf} turns into a PDF.
 */
@State(Scope.Benchmark)
public class HandoutState {

  final HandoutPersonalisation personalisation = new HandoutPersonalisation();
  HandoutRenderer renderer;
  final HandoutPdf pdf = new HandoutPdf();
  final Set<String> acknowledged = Set.of();
  HandoutVersion handout;
  Answers answers;
  byte[] htmlPage;

  @Setup(Level.Trial)
  public void setUp() {
    ContentLibrary library = Fixtures.library();
    renderer = HandoutRenderer.of(SiteContacts.none().withDemoPlaceholders(), library.settings());
    String handoutId = Fixtures.item(library).handoutId();
    handout = new HandoutChoice(library, true).choose(handoutId, List.of("en"), Fixtures.TODAY)
        .orElseThrow(() -> new IllegalStateException("no givable version of handout " + handoutId));
    if (!"en".equals(handout.language())) {
      throw new IllegalStateException("expected the English handout, got " + handout.key());
    }
    answers = new Answers(Fixtures.allNo(Fixtures.questionnaire(library)));

    htmlPage = HotPaths.html(this);
    String html = new String(htmlPage, StandardCharsets.UTF_8);
    if (!html.startsWith("<!DOCTYPE html>") || !html.contains("<html lang=\"en\">") || !html.contains("<h2>")
        || !html.trim().endsWith("</html>")) {
      throw new IllegalStateException("renderHtml did not give a complete English handout page");
    }
    byte[] document = pdf.pdf(htmlPage);
    String head = new String(document, 0, Math.min(document.length, 5), StandardCharsets.ISO_8859_1);
    String tail = new String(document, Math.max(0, document.length - 16), Math.min(document.length, 16),
        StandardCharsets.ISO_8859_1);
    if (!head.equals("%PDF-") || !tail.contains("%%EOF") || document.length < 2_000) {
      throw new IllegalStateException("renderPdf did not give a PDF (" + document.length + " bytes, starts '" + head + "')");
    }
  }
}
