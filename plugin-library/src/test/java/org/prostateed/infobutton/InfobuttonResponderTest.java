package org.prostateed.infobutton;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.content.ContentApproval;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.content.ContentLoaderTestAccess;
import org.prostateed.content.ShippedContent;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * docs/api.md, Infobutton: in the manner of MedlinePlus Connect, the answer links to the vetted
 * handouts for the code, in the language {@code informationRecipient.languageCode.c} asks for.
 */
class InfobuttonResponderTest {

  private static final String ICD10CM = "2.16.840.1.113883.6.90";
  private static final String SNOMED = "2.16.840.1.113883.6.96";
  private static final String BASE = "http://localhost:8080";
  private static final String EN_LINK = BASE + "/handouts/prostate-massage/en/0.2.0";
  private static final String ES_LINK = BASE + "/handouts/prostate-massage/es/0.2.0";
  private static final String EN_FILE = "handouts/prostate-massage/prostate-massage.en.md";
  private static final String DRAFT_EN = " (DRAFT - not clinically reviewed)";
  // Issue 24: the draft mark speaks the handout's language (the Spanish handout's draftMark).
  private static final String DRAFT_ES = " (BORRADOR: sin revisión clínica)";
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:15:30Z"), ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static InfobuttonResponder demo() {
    return new InfobuttonResponder(ShippedContent.library(), true, BASE + "/handouts", JSON, CLOCK);
  }

  private static InfobuttonResponder production(ContentLibrary library) {
    return new InfobuttonResponder(library, false, BASE + "/handouts", JSON, CLOCK);
  }

  private static Map<String, String> query(String... namesAndValues) {
    Map<String, String> query = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      query.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return query;
  }

  private static Map<String, String> code(String code, String system, String... more) {
    Map<String, String> query = query(more);
    query.put("mainSearchCriteria.v.c", code);
    query.put("mainSearchCriteria.v.cs", system);
    return query;
  }

  private static JsonNode feed(InfobuttonResponder.Response response) throws IOException {
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    return JSON.readTree(response.body()).path("feed");
  }

  private static List<String> links(JsonNode feed) {
    List<String> links = new ArrayList<>();
    feed.path("entry").forEach(entry -> links.add(entry.path("link").path(0).path("href").asText()));
    return links;
  }

  // "Matching: a code matches an education item when it is in one of the item's qualifying value sets"
  @Test
  void qualifyingCodesListEnglishThenSpanishHandoutsInDemoMode() throws IOException {
    for (Map<String, String> query : List.of(
        code("N41.1", ICD10CM, "knowledgeResponseType", "application/json"),
        code("N40.1", ICD10CM),
        code("N41.10", ICD10CM),
        code("266569009", SNOMED))) {
      JsonNode feed = feed(demo().respond(query));

      assertThat(links(feed)).as("links for %s", query).containsExactly(EN_LINK, ES_LINK);
    }
  }

  @Test
  void theJsonFeedIsShapedLikeMedlinePlusConnect() throws IOException {
    JsonNode feed = feed(demo().respond(code("N41.1", ICD10CM)));

    assertThat(feed.path("author").path("name").path("_value").asText()).isEqualTo("prostateed");
    assertThat(feed.path("updated").path("_value").asText()).isEqualTo("2026-11-25T10:15:30Z");
    assertThat(feed.path("id").path("_value").asText()).startsWith("urn:uuid:");
    assertThat(feed.path("title").path("_value").asText()).isNotBlank();
    assertThat(feed.path("category").get(0).path("scheme").asText()).isEqualTo("mainSearchCriteria.v.c");
    assertThat(feed.path("category").get(0).path("term").asText()).isEqualTo("N41.1");
    assertThat(feed.path("category").get(1).path("scheme").asText()).isEqualTo("mainSearchCriteria.v.cs");
    assertThat(feed.path("category").get(1).path("term").asText()).isEqualTo(ICD10CM);

    assertThat(feed.path("entry").get(0).path("title").path("_value").asText()).endsWith(DRAFT_EN);
    JsonNode spanish = feed.path("entry").get(1);
    assertThat(spanish.path("title").path("_value").asText())
        .isEqualTo("Masaje de próstata: cómo hacerlo de forma segura" + DRAFT_ES);
    JsonNode link = spanish.path("link").get(0);
    assertThat(link.path("href").asText()).isEqualTo(ES_LINK);
    assertThat(link.path("rel").asText()).isEqualTo("alternate");
    assertThat(link.path("type").asText()).isEqualTo("text/html");
    assertThat(link.path("hreflang").asText()).isEqualTo("es");
    assertThat(spanish.path("id").path("_value").asText()).isEqualTo(ES_LINK);
    assertThat(spanish.path("summary").path("_value").asText()).isEqualTo("Prostate massage");
    assertThat(spanish.path("language").asText()).isEqualTo("es");
    assertThat(spanish.path("version").asText()).isEqualTo("0.2.0");
    assertThat(spanish.has("updated")).as("a draft has no approval date").isFalse();
  }

  @Test
  void anUnrelatedCodeGivesAnEmptyFeed() throws IOException {
    JsonNode feed = feed(demo().respond(code("J06.9", ICD10CM)));

    assertThat(feed.path("entry").isArray()).isTrue();
    assertThat(feed.path("entry")).isEmpty();
  }

  // "Unknown OID or missing code => an empty feed (not an error)"
  @Test
  void anUnknownCodeSystemOrABlankCodeGivesAnEmptyFeed() throws IOException {
    assertThat(feed(demo().respond(code("N41.1", "2.16.840.1.113883.6.103"))).path("entry")).isEmpty();
    assertThat(feed(demo().respond(query("mainSearchCriteria.v.c", "N41.1"))).path("entry")).isEmpty();
    assertThat(feed(demo().respond(code("", ICD10CM))).path("entry")).isEmpty();
  }

  @Test
  void theRecipientsLanguageRestrictsTheEntries() throws IOException {
    assertThat(links(feed(demo().respond(code("N41.1", ICD10CM, "informationRecipient.languageCode.c", "es")))))
        .containsExactly(ES_LINK);
    assertThat(links(feed(demo().respond(code("N41.1", ICD10CM, "informationRecipient.languageCode.c", "es-MX")))))
        .containsExactly(ES_LINK);
    assertThat(links(feed(demo().respond(code("N41.1", ICD10CM, "informationRecipient.languageCode.c", "en")))))
        .containsExactly(EN_LINK);
  }

  @Test
  void aLanguageWithNoHandoutFallsBackToEnglish() throws IOException {
    JsonNode feed = feed(demo().respond(code("N41.1", ICD10CM, "informationRecipient.languageCode.c", "fr")));

    assertThat(links(feed)).containsExactly(EN_LINK);
  }

  // docs/clinical-rules.md, "Governance": draft content is shown in demo mode only.
  @Test
  void productionListsNoDraftHandouts() throws IOException {
    JsonNode feed = feed(production(ShippedContent.library()).respond(code("N41.1", ICD10CM)));

    assertThat(feed.path("entry")).isEmpty();
  }

  @Test
  void productionListsAnApprovedVersionWithoutTheDraftMark(@TempDir Path dir) throws IOException {
    ContentLibrary library = approvedEnglish(dir);

    JsonNode feed = feed(production(library).respond(code("N41.1", ICD10CM)));

    assertThat(links(feed)).as("the Spanish draft is not listed").containsExactly(EN_LINK);
    JsonNode english = feed.path("entry").get(0);
    assertThat(english.path("title").path("_value").asText()).isEqualTo("Prostate massage: how to do it safely");
    assertThat(english.path("updated").path("_value").asText()).isEqualTo("2026-11-25T00:00:00Z");
    assertThat(links(feed(production(library).respond(
        code("N41.1", ICD10CM, "informationRecipient.languageCode.c", "es")))))
        .as("no approved Spanish version: English instead").containsExactly(EN_LINK);
  }

  @Test
  void theAtomXmlFeedHasTheSameEntries() throws Exception {
    InfobuttonResponder.Response response =
        demo().respond(code("N41.1", ICD10CM, "knowledgeResponseType", "text/xml"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("text/xml");
    Document atom = parse(response.body());
    XPath xpath = atomXPath();
    assertThat(atom.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2005/Atom");
    assertThat(atom.getDocumentElement().getLocalName()).isEqualTo("feed");
    assertThat(xpath.evaluate("/a:feed/a:author/a:name", atom)).isEqualTo("prostateed");
    assertThat(xpath.evaluate("/a:feed/a:updated", atom)).isEqualTo("2026-11-25T10:15:30Z");
    assertThat(xpath.evaluate("/a:feed/a:id", atom)).startsWith("urn:uuid:");
    assertThat(xpath.evaluate("/a:feed/a:category[@scheme='mainSearchCriteria.v.c']/@term", atom))
        .isEqualTo("N41.1");
    assertThat(xpath.evaluate("/a:feed/a:category[@scheme='mainSearchCriteria.v.cs']/@term", atom))
        .isEqualTo(ICD10CM);

    JsonNode json = feed(demo().respond(code("N41.1", ICD10CM)));
    NodeList entries = (NodeList) xpath.evaluate("/a:feed/a:entry", atom, XPathConstants.NODESET);
    assertThat(entries.getLength()).isEqualTo(json.path("entry").size()).isEqualTo(2);
    for (int i = 0; i < entries.getLength(); i++) {
      Element entry = (Element) entries.item(i);
      JsonNode expected = json.path("entry").get(i);
      assertThat(xpath.evaluate("a:title", entry)).isEqualTo(expected.path("title").path("_value").asText());
      assertThat(xpath.evaluate("a:link/@href", entry)).isEqualTo(expected.path("link").get(0).path("href").asText());
      assertThat(xpath.evaluate("a:link/@rel", entry)).isEqualTo("alternate");
      assertThat(xpath.evaluate("a:link/@type", entry)).isEqualTo("text/html");
      assertThat(xpath.evaluate("a:link/@hreflang", entry)).isEqualTo(expected.path("language").asText());
      assertThat(xpath.evaluate("a:id", entry)).isEqualTo(expected.path("id").path("_value").asText());
      assertThat(xpath.evaluate("a:summary", entry)).isEqualTo(expected.path("summary").path("_value").asText());
    }
  }

  @Test
  void anEmptyAtomXmlFeedParses() throws Exception {
    InfobuttonResponder.Response response =
        demo().respond(code("J06.9", ICD10CM, "knowledgeResponseType", "text/xml"));

    Document atom = parse(response.body());
    assertThat(((NodeList) atomXPath().evaluate("/a:feed/a:entry", atom, XPathConstants.NODESET)).getLength())
        .isZero();
  }

  @Test
  void anUnsupportedResponseTypeIsABadRequest() {
    InfobuttonResponder.Response response =
        demo().respond(code("N41.1", ICD10CM, "knowledgeResponseType", "text/html"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("text/plain");
  }

  @Test
  void aRequestWithoutACodeIsABadRequest() {
    InfobuttonResponder.Response response = demo().respond(query("mainSearchCriteria.v.cs", ICD10CM));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("text/plain");
  }

  private static ContentLibrary approvedEnglish(Path dir) throws IOException {
    Path copy = ContentLoaderTestAccess.copyOfShipped(dir);
    Path english = copy.resolve(EN_FILE);
    Files.writeString(english, Files.readString(english).replaceFirst("status: draft", "status: active"));
    new ContentApproval(JSON).approve(copy, EN_FILE, "Dr Ada Example", "Consultant urologist", TODAY);
    return new ContentLoader(JSON).load(copy);
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static XPath atomXPath() {
    XPath xpath = XPathFactory.newInstance().newXPath();
    Map<String, String> prefixes = new HashMap<>(Map.of("a", "http://www.w3.org/2005/Atom"));
    xpath.setNamespaceContext(new NamespaceContext() {
      @Override
      public String getNamespaceURI(String prefix) {
        return prefixes.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
      }

      @Override
      public String getPrefix(String namespaceUri) {
        return null;
      }

      @Override
      public Iterator<String> getPrefixes(String namespaceUri) {
        return null;
      }
    });
    return xpath;
  }
}
