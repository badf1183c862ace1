package org.prostateed.handout;

import com.vladsch.flexmark.html.HtmlRenderer;
import com.vladsch.flexmark.parser.Parser;
import com.vladsch.flexmark.util.data.MutableDataSet;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.text.StringEscapeUtils;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.prostateed.content.HandoutMarkup;
import org.prostateed.content.HandoutVersion;
import org.prostateed.content.LocalSettings;
import org.prostateed.content.PublicationStatus;

/**
 * Turns a personalised handout into a complete, self-contained HTML page. The Markdown is
 * rendered by flexmark and the result passes an allow-list sanitizer, so no raw HTML, script or
 * link scheme other than http(s) reaches the patient. Every version that is not active carries
 * the draft watermark.
 */
public final class HandoutRenderer {


  private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
      .allowElements("h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "blockquote",
          "br", "hr", "a", "code")
      .allowUrlProtocols("https", "http")
      .allowAttributes("href").onElements("a")
      .requireRelNofollowOnLinks()
      .toFactory();

  private static final String STYLE = """
      body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13pt;line-height:1.5;max-width:42em;margin:1.5em auto;padding:0 1em;color:#111}
      h1{font-size:1.7em;margin-bottom:0.2em}
      h2{font-size:1.3em;margin-top:1.4em;border-bottom:1px solid #999}
      blockquote{border:3px solid #b00020;padding:0.5em 1em;margin:1.2em 0;background:#fff4f4}
      .meta{font-size:0.85em;color:#333}
      .watermark{border:2px dashed #b00020;color:#b00020;font-weight:bold;padding:0.4em;text-align:center}
      body.large{font-size:17pt}
      """;

  /** The ASCII punctuation that Markdown lets a backslash escape. */
  private static final java.util.regex.Pattern MARKDOWN_PUNCTUATION =
      java.util.regex.Pattern.compile("[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]");

  private final Parser parser;
  private final HtmlRenderer renderer;
  private final Map<String, String> values;

  /**
   * @param values what each {@code {{name}}} of a handout becomes: the site's contacts and the
   *     settings a handout shows. The loader has checked that every name a handout uses is known.
   */
  public HandoutRenderer(Map<String, String> values) {
    MutableDataSet options = new MutableDataSet();
    options.set(HtmlRenderer.ESCAPE_HTML, true);
    this.parser = Parser.builder(options).build();
    this.renderer = HtmlRenderer.builder(options).build();
    this.values = Map.copyOf(values);
  }

  /** A renderer for a site's contacts and the library's settings. */
  public static HandoutRenderer of(SiteContacts site, LocalSettings settings) {
    Map<String, String> values = new HashMap<>();
    site.placeholders().forEach((name, value) -> {
      if (value != null) {
        values.put(name, value);
      }
    });
    for (String key : LocalSettings.VALUE_KEYS) {
      settings.display(key).ifPresent(value -> values.put("settings." + key, value));
    }
    return new HandoutRenderer(values);
  }

  /**
   * The CSP source expression ({@code 'sha256-...'}) that allows the page's one inline style, so
   * that a page under a strict policy (the app's preview) may show the handout as printed.
   */
  public static String styleSource() {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(STYLE.getBytes(StandardCharsets.UTF_8));
      return "'sha256-" + java.util.Base64.getEncoder().encodeToString(digest) + "'";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The sanitised HTML fragment of a Markdown text, with each {@code {{name}}} filled in first
   * (every punctuation character of a value backslash-escaped, so a value is always plain text). A
   * name without a value is an error: a handout must never reach a patient with a number left out.
   */
  public String fragment(String markdown) {
    String filled = HandoutMarkup.fill(markdown, name -> {
      String value = values.get(name);
      if (value == null) {
        throw new IllegalStateException("the handout uses {{" + name + "}}, which has no value here");
      }
      return MARKDOWN_PUNCTUATION.matcher(value).replaceAll("\\\\$0");
    });
    return POLICY.sanitize(renderer.render(parser.parse(filled)));
  }

  /** A complete HTML page for the patient, as UTF-8 bytes. */
  public byte[] page(HandoutVersion version, String personalisedMarkdown, boolean largePrint) {
    boolean draft = version.status() != PublicationStatus.ACTIVE;
    StringBuilder html = new StringBuilder(8192);
    html.append("<!DOCTYPE html>\n<html lang=\"").append(escape(version.language())).append("\">\n<head>\n")
        .append("<meta charset=\"utf-8\"/>\n<title>").append(escape(version.title())).append("</title>\n")
        .append("<style>").append(STYLE).append("</style>\n</head>\n<body")
        .append(largePrint ? " class=\"large\"" : "").append(">\n");
    if (draft) {
      html.append("<p class=\"watermark\">").append(escape(version.draftMarkText())).append("</p>\n");
    }
    html.append("<h1>").append(escape(version.title())).append("</h1>\n")
        .append(fragment(personalisedMarkdown))
        .append("<p class=\"meta\">").append(escape(version.id())).append(" version ")
        .append(escape(version.version())).append(" (").append(escape(version.language())).append(")</p>\n");
    if (draft) {
      html.append("<p class=\"watermark\">").append(escape(version.draftMarkText())).append("</p>\n");
    }
    html.append("</body>\n</html>\n");
    return html.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String text) {
    return StringEscapeUtils.escapeHtml4(text);
  }
}
