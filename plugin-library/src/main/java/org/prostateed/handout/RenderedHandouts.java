package org.prostateed.handout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.prostateed.content.HandoutVersion;

/**
 * The HTML page and PDF of a handout text, rendered once and then remembered. Rendering is a pure
 * function of the handout version, the personalised text and the print size (the same input gives
 * the same bytes, see {@link HandoutPdf}), and a clinic gives the same few texts over and over, so
 * the PDF, which is most of a give's rendering time, is made once per distinct text. Bounded: the
 * least recently used texts are forgotten first.
 */
public final class RenderedHandouts {

  /** The bytes a patient receives: the page and its PDF. */
  public record Rendered(byte[] html, byte[] pdf) {}

  private final HandoutRenderer renderer;
  private final UnaryOperator<byte[]> toPdf;
  private final Map<String, Rendered> recent;

  /** @param toPdf the page to PDF, normally {@link HandoutPdf#pdf} */
  public RenderedHandouts(HandoutRenderer renderer, UnaryOperator<byte[]> toPdf, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.renderer = renderer;
    this.toPdf = toPdf;
    this.recent = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Rendered> eldest) {
        return size() > capacity;
      }
    };
  }

  /**
   * The rendering of {@code markdown} as {@code handout}'s page. Callers get copies: what they do
   * with the arrays never changes what the next caller receives.
   */
  public Rendered render(HandoutVersion handout, String markdown, boolean largePrint) {
    String key = key(handout, markdown, largePrint);
    Rendered rendered;
    synchronized (recent) {
      rendered = recent.get(key);
    }
    if (rendered == null) {
      byte[] html = renderer.page(handout, markdown, largePrint);
      rendered = new Rendered(html, toPdf.apply(html));
      synchronized (recent) {
        recent.put(key, rendered);
      }
    }
    return new Rendered(rendered.html().clone(), rendered.pdf().clone());
  }

  int size() {
    synchronized (recent) {
      return recent.size();
    }
  }

  private static String key(HandoutVersion handout, String markdown, boolean largePrint) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(markdown.getBytes(StandardCharsets.UTF_8));
      return handout.key() + "|" + handout.status() + "|" + largePrint + "|" + HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
