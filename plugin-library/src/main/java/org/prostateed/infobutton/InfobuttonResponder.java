package org.prostateed.infobutton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.prostateed.content.Approval;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.EducationItem;
import org.prostateed.content.HandoutVersion;
import org.prostateed.content.PublicationStatus;
import org.prostateed.engine.HandoutChoice;

/**
 * An HL7 URL-based Infobutton responder (Context Aware Knowledge Retrieval, URL-based
 * implementation guide), answering like MedlinePlus Connect: for a problem code it lists links to
 * the handouts that may be given for it, as an Atom feed in JSON or XML.
 *
 * <p>Only givable versions are listed ({@link HandoutChoice#givable}): in production that means
 * active, approved and within review; in demo mode drafts too, with their title marked as drafts.
 */
public final class InfobuttonResponder {

  static final String CODE = "mainSearchCriteria.v.c";
  static final String CODE_SYSTEM = "mainSearchCriteria.v.cs";
  static final String RESPONSE_TYPE = "knowledgeResponseType";
  static final String LANGUAGE = "informationRecipient.languageCode.c";

  static final String JSON_TYPE = "application/json";
  static final String XML_TYPE = "text/xml";

  private static final String ATOM = "http://www.w3.org/2005/Atom";
  private static final String AUTHOR = "prostateed";
  private static final String FEED_TITLE = "Prostate education handouts";

  /** The code systems an Infobutton request names by OID, and their FHIR system URIs. */
  private static final Map<String, CodeSystem> CODE_SYSTEMS = Map.of(
      "2.16.840.1.113883.6.90", new CodeSystem("http://hl7.org/fhir/sid/icd-10-cm", "ICD-10-CM"),
      "2.16.840.1.113883.6.96", new CodeSystem("http://snomed.info/sct", "SNOMED CT"));

  private final ContentLibrary library;
  private final boolean allowDraft;
  private final String handoutsUrl;
  private final ObjectMapper json;
  private final Clock clock;
  private final HandoutChoice choice;

  /** @param handoutsUrl where the handouts are served ({@code HandoutServlet}'s mount), which the links start with */
  public InfobuttonResponder(ContentLibrary library, boolean allowDraft, String handoutsUrl, ObjectMapper json,
      Clock clock) {
    this.library = library;
    this.allowDraft = allowDraft;
    this.handoutsUrl = handoutsUrl.endsWith("/") ? handoutsUrl.substring(0, handoutsUrl.length() - 1) : handoutsUrl;
    this.json = json;
    this.clock = clock;
    this.choice = new HandoutChoice(library, allowDraft);
  }

  /** The HTTP answer: status, content type and body. */
  public record Response(int status, String contentType, String body) {

    static Response badRequest(String message) {
      return new Response(400, "text/plain; charset=UTF-8", message);
    }
  }

  /** @param query the request's query parameters (name -> first value) */
  public Response respond(Map<String, String> query) {
    String responseType = Optional.ofNullable(query.get(RESPONSE_TYPE))
        .map(value -> value.trim().toLowerCase(Locale.ROOT))
        .filter(value -> !value.isEmpty())
        .orElse(JSON_TYPE);
    if (!responseType.equals(JSON_TYPE) && !responseType.equals(XML_TYPE)) {
      return Response.badRequest(RESPONSE_TYPE + " must be " + JSON_TYPE + " or " + XML_TYPE);
    }
    if (!query.containsKey(CODE)) {
      return Response.badRequest(CODE + " is required");
    }
    Request request = new Request(
        query.get(CODE).trim(),
        Optional.ofNullable(query.get(CODE_SYSTEM)).map(String::trim).orElse(""),
        primaryLanguage(query.get(LANGUAGE)));
    Feed feed = feed(request);
    return responseType.equals(XML_TYPE)
        ? new Response(200, XML_TYPE + "; charset=UTF-8", atomXml(feed))
        : new Response(200, JSON_TYPE, atomJson(feed));
  }

  private record CodeSystem(String uri, String name) {}

  /** What was asked: the code, its system's OID and the recipient's primary language subtag. */
  private record Request(String code, String systemOid, Optional<String> language) {}

  private record Entry(String title, String href, String language, String version, String summary,
      Optional<Instant> updated) {}

  private record Feed(Request request, String id, Instant updated, String subtitle, List<Entry> entries) {}

  private Feed feed(Request request) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Optional<CodeSystem> system = Optional.ofNullable(CODE_SYSTEMS.get(stripOidPrefix(request.systemOid())));
    List<Entry> entries = new ArrayList<>();
    if (system.isPresent() && !request.code().isEmpty()) {
      LocalDate today = LocalDate.now(clock);
      for (EducationItem item : matchingItems(system.get().uri(), request.code())) {
        for (HandoutVersion version : versionsToList(item, request.language(), today)) {
          entries.add(entry(item, version));
        }
      }
    }
    String systemName = system.map(CodeSystem::name).orElse(request.systemOid());
    String subtitle = "Vetted patient handouts for " + (systemName + " " + request.code()).trim();
    String id = "urn:uuid:" + UUID.nameUUIDFromBytes(
        String.join("|", request.code(), request.systemOid(), request.language().orElse(""), now.toString())
            .getBytes(StandardCharsets.UTF_8));
    return new Feed(request, id, now, subtitle, List.copyOf(entries));
  }

  /** The education items one of whose qualifying value sets holds the code, in catalog order. */
  private List<EducationItem> matchingItems(String system, String code) {
    return library.items().stream()
        .filter(item -> item.qualifying().stream()
            .anyMatch(set -> library.codeSet(set.valueSetUrl()).contains(system, code)))
        .toList();
  }

  /**
   * The newest givable version per language: only the requested language when it has one,
   * otherwise English; with no language asked, every language, English first.
   */
  private List<HandoutVersion> versionsToList(EducationItem item, Optional<String> asked, LocalDate today) {
    List<HandoutVersion> givable = library.handouts().stream()
        .filter(handout -> handout.id().equals(item.handoutId()))
        .map(HandoutVersion::language)
        .distinct()
        .sorted(Comparator.comparing((String language) -> !language.equals(HandoutChoice.FALLBACK_LANGUAGE))
            .thenComparing(Comparator.naturalOrder()))
        .flatMap(language -> newestGivable(item.handoutId(), language, today).stream())
        .toList();
    if (asked.isEmpty()) {
      return givable;
    }
    List<HandoutVersion> inAsked = givable.stream().filter(v -> v.language().equals(asked.get())).toList();
    return !inAsked.isEmpty()
        ? inAsked
        : givable.stream().filter(v -> v.language().equals(HandoutChoice.FALLBACK_LANGUAGE)).toList();
  }

  private Optional<HandoutVersion> newestGivable(String handoutId, String language, LocalDate today) {
    return library.handoutVersions(handoutId, language).stream()
        .filter(version -> choice.givable(version, today))
        .findFirst();
  }

  private Entry entry(EducationItem item, HandoutVersion version) {
    String title = version.status() == PublicationStatus.ACTIVE ? version.title() : version.title() + " (" + version.draftMarkText() + ")";
    Optional<Instant> updated = library.approval(version)
        .map(Approval::date)
        .map(date -> date.atStartOfDay(ZoneOffset.UTC).toInstant());
    return new Entry(title, link(version), version.language(), version.version(), item.title(), updated);
  }

  private String link(HandoutVersion version) {
    String path = "/" + version.id() + "/" + version.language() + "/" + version.version();
    try {
      return handoutsUrl + new URI(null, null, path, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("handout path " + path + " is not a URI path", e);
    }
  }

  private String atomJson(Feed feed) {
    ObjectNode root = json.createObjectNode();
    ObjectNode out = root.putObject("feed");
    value(out, "title", FEED_TITLE);
    value(out, "subtitle", feed.subtitle());
    value(out.putObject("author"), "name", AUTHOR);
    value(out, "updated", feed.updated().toString());
    value(out, "id", feed.id());
    ArrayNode categories = out.putArray("category");
    for (Map.Entry<String, String> category : categories(feed.request())) {
      categories.addObject().put("scheme", category.getKey()).put("term", category.getValue());
    }
    ArrayNode entries = out.putArray("entry");
    for (Entry entry : feed.entries()) {
      ObjectNode node = entries.addObject();
      value(node, "title", entry.title());
      node.putArray("link").addObject()
          .put("href", entry.href())
          .put("rel", "alternate")
          .put("type", "text/html")
          .put("hreflang", entry.language());
      value(node, "id", entry.href());
      value(node, "summary", entry.summary());
      entry.updated().ifPresent(updated -> value(node, "updated", updated.toString()));
      node.put("language", entry.language());
      node.put("version", entry.version());
    }
    try {
      return json.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the Infobutton feed", e);
    }
  }

  private static void value(ObjectNode parent, String name, String value) {
    parent.putObject(name).put("_value", value);
  }

  private String atomXml(Feed feed) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.setDefaultNamespace(ATOM);
      xml.writeStartElement(ATOM, "feed");
      xml.writeDefaultNamespace(ATOM);
      text(xml, "title", FEED_TITLE);
      text(xml, "subtitle", feed.subtitle());
      xml.writeStartElement(ATOM, "author");
      text(xml, "name", AUTHOR);
      xml.writeEndElement();
      text(xml, "updated", feed.updated().toString());
      text(xml, "id", feed.id());
      for (Map.Entry<String, String> category : categories(feed.request())) {
        xml.writeEmptyElement(ATOM, "category");
        xml.writeAttribute("scheme", category.getKey());
        xml.writeAttribute("term", category.getValue());
      }
      for (Entry entry : feed.entries()) {
        xml.writeStartElement(ATOM, "entry");
        text(xml, "title", entry.title());
        xml.writeEmptyElement(ATOM, "link");
        xml.writeAttribute("href", entry.href());
        xml.writeAttribute("rel", "alternate");
        xml.writeAttribute("type", "text/html");
        xml.writeAttribute("hreflang", entry.language());
        text(xml, "id", entry.href());
        if (entry.updated().isPresent()) {
          text(xml, "updated", entry.updated().get().toString());
        }
        text(xml, "summary", entry.summary());
        xml.writeEndElement();
      }
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("could not write the Infobutton feed", e);
    }
    return out.toString();
  }

  private static void text(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
    xml.writeStartElement(ATOM, name);
    xml.writeCharacters(value);
    xml.writeEndElement();
  }

  /** The request's context, echoed as Atom categories (scheme = parameter name). */
  private static List<Map.Entry<String, String>> categories(Request request) {
    List<Map.Entry<String, String>> categories = new ArrayList<>();
    categories.add(Map.entry(CODE, request.code()));
    categories.add(Map.entry(CODE_SYSTEM, request.systemOid()));
    request.language().ifPresent(language -> categories.add(Map.entry(LANGUAGE, language)));
    return categories;
  }

  private static String stripOidPrefix(String system) {
    return system.regionMatches(true, 0, "urn:oid:", 0, "urn:oid:".length())
        ? system.substring("urn:oid:".length())
        : system;
  }

  /** {@code es-MX}, {@code es_MX} and {@code ES} all mean {@code es}; blank means no language. */
  private static Optional<String> primaryLanguage(String languageCode) {
    if (languageCode == null || languageCode.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(languageCode.trim().split("[-_]", 2)[0].toLowerCase(Locale.ROOT))
        .filter(language -> !language.isEmpty());
  }
}
