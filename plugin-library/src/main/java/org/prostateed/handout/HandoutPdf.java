package org.prostateed.handout;

import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.jsoup.Jsoup;
import org.jsoup.helper.W3CDom;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Turns the HTML page of a handout into a PDF with openhtmltopdf: the page that was rendered is
 * the page that is printed. Only the page size, margins and a running footer are added; the
 * footer repeats the draft watermark on every page of a draft. Text uses the PDF base-14 fonts
 * (Latin-1), nothing is read from disk or the network while rendering, and the output is
 * deterministic: the same page gives the same bytes.
 */
public final class HandoutPdf {

  static {
    // openhtmltopdf logs through java.util.logging at INFO on every render; its failures are
    // thrown as exceptions, so its own log adds nothing but noise.
    com.openhtmltopdf.util.XRLog.setLoggingEnabled(false);
  }

  /** The producer written into every PDF. */
  public static final String PRODUCER = "prostateed handout (openhtmltopdf)";

  private static final String BASE_URI = "about:blank";

  private static final String PAGE_STYLE = """
      @page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-center { content: %s"page " counter(page) " of " counter(pages);
          font-family: sans-serif; font-size: 9pt; color: %s; } }
      """;

  public HandoutPdf() {}

  /**
   * PDF bytes of an HTML page produced by {@link HandoutRenderer} (UTF-8). Deterministic for the
   * same input: fixed producer/creation metadata so the same handout gives the same bytes and
   * hash.
   */
  public byte[] pdf(byte[] htmlPage) {
    Document page = Jsoup.parse(new String(htmlPage, StandardCharsets.UTF_8), "");
    Element watermark = page.selectFirst("p.watermark");
    String footerPrefix = watermark != null ? cssString(watermark.text() + " - ") + " " : "";
    Element style = page.head().appendElement("style");
    style.appendText(PAGE_STYLE.formatted(footerPrefix, watermark != null ? "#b00020" : "#555"));

    org.w3c.dom.Document w3c = new W3CDom().fromJsoup(page);
    PdfRendererBuilder builder = new PdfRendererBuilder()
        .useFastMode()
        .withW3cDocument(w3c, BASE_URI)
        .withProducer(PRODUCER)
        .useExternalResourceAccessControl((uri, type) -> false,
            ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI)
        .useExternalResourceAccessControl((uri, type) -> false,
            ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI);

    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
    try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
      renderer.layout();
      renderer.createPDFWithoutClosing();
      try (PDDocument pdf = renderer.getPdfDocument()) {
        fixMetadata(pdf, htmlPage);
        pdf.save(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not render the handout PDF", e);
    }
    return out.toByteArray();
  }

  /** Fixed dates, producer and a document ID derived from the page, so output is reproducible. */
  private static void fixMetadata(PDDocument pdf, byte[] htmlPage) {
    Calendar fixed = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
    fixed.clear();
    fixed.set(2000, Calendar.JANUARY, 1, 0, 0, 0);
    PDDocumentInformation info = pdf.getDocumentInformation();
    info.setProducer(PRODUCER);
    info.setCreationDate(fixed);
    info.setModificationDate(fixed);
    pdf.setDocumentInformation(info);

    byte[] id = Arrays.copyOf(sha256(htmlPage), 16);
    COSArray ids = new COSArray();
    ids.add(new COSString(id));
    ids.add(new COSString(id));
    pdf.getDocument().getTrailer().setItem(COSName.ID, ids);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static String cssString(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
