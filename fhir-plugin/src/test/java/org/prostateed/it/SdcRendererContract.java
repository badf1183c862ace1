package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.prostateed.server.DemoData;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/**
 * The questionnaire in SDC renderers nobody here wrote, in headless Chromium: the renderer shows
 * the Questionnaire the plugin published, every item is answered through the renderer's own
 * radio buttons, and the QuestionnaireResponse it produces must evaluate exactly like the same
 * answers sent as the app sends them (issue 22: "the response it produces evaluates exactly like
 * the app's, new items included"; issue 25: "LHC-Forms and Smart Forms each render, fill and
 * produce a QuestionnaireResponse that evaluates to the same outcome and reasons as our app's").
 *
 * <p>The page is served from its own origin, with the embedded server's FHIR API under {@code
 * /fhir} on the same origin, as an EHR serves a renderer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SdcRendererContract {

  static final String YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136";
  static final String UNKNOWN = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
  static final String INDICATION = "http://prostateed.org/fhir/CodeSystem/massage-indication";
  static final String PERFORMER = "http://prostateed.org/fhir/CodeSystem/massage-performer";

  EmbeddedServer server;
  WebDriver browser;
  FhirHttp http;
  String fhirBase;
  String page;
  String questionnaireJson;
  Questionnaire questionnaire;
  private HttpServer pages;
  private String clockScript;
  private Map<String, String> edgeCharts;

  /** The test page, under {@code src/test/resources/sdc/}. */
  abstract String pageFile();

  /** The folders the page loads its scripts from, by the path they are served under ({@code /name/}). */
  abstract Map<String, Path> folders() throws Exception;

  /**
   * Renders the questionnaire, answers every item by clicking, and returns the renderer's
   * response, marked completed: a renderer leaves the status to the user's submit, and the app
   * sends its answers completed too.
   */
  abstract QuestionnaireResponse fill(Map<String, Coding> answers);

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    browser = HeadlessChromium.start(dir);
    Map<String, Path> folders = folders();
    server = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0, StoreSettings.h2File(dir.resolve("data")),
        Optional.empty(), true));
    fhirBase = "http://127.0.0.1:" + server.port() + "/fhir";
    http = new FhirHttp(fhirBase);
    questionnaire = http.search(Questionnaire.class, "url=" + Responses.QUESTIONNAIRE).get(0);
    questionnaireJson = FhirHttp.FHIR.newJsonParser().encodeResourceToString(questionnaire);
    byte[] testPage = Files.readAllBytes(Path.of("src", "test", "resources", "sdc", pageFile()));
    HttpClient fhirClient = HttpClient.newHttpClient();
    pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pages.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      String type;
      if (path.startsWith("/fhir/")) {
        // The renderer's searches (GET only) go to the embedded server unchanged.
        String query = exchange.getRequestURI().getRawQuery();
        HttpResponse<byte[]> forwarded;
        try {
          forwarded = fhirClient.send(HttpRequest.newBuilder(URI.create(fhirBase + path.substring("/fhir".length())
                  + (query == null ? "" : "?" + query.replace("|", "%7C"))))
              .header("Accept", "application/fhir+json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        body = forwarded.body();
        exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
        exchange.sendResponseHeaders(forwarded.statusCode(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
        return;
      }
      Path file = folders.entrySet().stream().filter(folder -> path.startsWith(folder.getKey()))
          .map(folder -> folder.getValue().resolve(path.substring(folder.getKey().length())).normalize())
          .filter(candidate -> folders.values().stream().anyMatch(candidate::startsWith))
          .findFirst().orElse(null);
      if ("/".equals(path)) {
        body = testPage;
        type = "text/html; charset=utf-8";
      } else if (file != null && Files.isRegularFile(file)) {
        body = Files.readAllBytes(file);
        type = path.endsWith(".css") ? "text/css" : path.endsWith(".js") ? "text/javascript" : "application/octet-stream";
      } else {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    pages.start();
    page = "http://127.0.0.1:" + pages.getAddress().getPort() + "/";
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (pages != null) {
      pages.stop(0);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void nothingAgainstTheHandoutIsEligibleInBoth() {
    assertEvaluatesLikeTheApp(answers(Map.of()), "ELIGIBLE");
  }

  @Test
  void aNewAbsoluteItemAnsweredYesIsContraindicatedInBoth() {
    assertEvaluatesLikeTheApp(answers(Map.of("urinary-retention", yes(), "anorectal-cancer", yes())), "CONTRAINDICATED");
  }

  @Test
  void newRelativeItemsAndAnAbsoluteDontKnowAreReviewInBoth() {
    assertEvaluatesLikeTheApp(answers(Map.of(
        "spinal-cord-injury", yes(), "reduced-sensation", yes(), "urinary-catheter", yes(),
        "anal-stenosis-prolapse", yes(), "ibd-remission", yes(), "recent-acute-prostatitis", unknown(),
        "urinary-infection", unknown(), "proctitis-ibd", unknown())), "REVIEW");
  }

  @Test
  void anAnswerThatReleaseRequiresLeftOtherwiseIsIncompleteInBoth() {
    assertEvaluatesLikeTheApp(answers(Map.of("understanding", new Coding(YES_NO, "N", "No"),
        "performer", new Coding(PERFORMER, "partner-carer", null))), "INCOMPLETE");
  }

  /** Fills the form with these answers and checks that its response decides as the app's does. */
  private void assertEvaluatesLikeTheApp(Map<String, Coding> answers, String expectedOutcome) {
    QuestionnaireResponse rendered = fill(answers);
    assertThat(rendered.getItem()).extracting(QuestionnaireResponse.QuestionnaireResponseItemComponent::getLinkId)
        .as("the renderer answered every item").containsExactlyInAnyOrderElementsOf(answers.keySet());
    Responses app = Responses.anonymous();
    answers.forEach((linkId, coding) -> app.answer(linkId, coding.getSystem(), coding.getCode()));

    Decision fromRenderer = evaluate(rendered);
    Decision fromApp = evaluate(app.build());

    assertThat(fromRenderer.outcome()).isEqualTo(expectedOutcome);
    assertThat(fromRenderer).isEqualTo(fromApp);
  }

  /** Every item answered: "No" unless given, the patient performing it, understanding confirmed. */
  private Map<String, Coding> answers(Map<String, Coding> given) {
    Map<String, Coding> answers = new LinkedHashMap<>();
    for (Questionnaire.QuestionnaireItemComponent item : questionnaire.getItem()) {
      Coding answer = switch (item.getLinkId()) {
        case "indication" -> new Coding(INDICATION, "chronic-prostatitis", null);
        case "performer" -> new Coding(PERFORMER, "patient", null);
        case "understanding" -> yes();
        default -> new Coding(YES_NO, "N", "No");
      };
      answers.put(item.getLinkId(), given.getOrDefault(item.getLinkId(), answer));
    }
    return answers;
  }

  private static Coding yes() {
    return new Coding(YES_NO, "Y", "Yes");
  }

  private static Coding unknown() {
    return new Coding(UNKNOWN, "asked-unknown", "Don't know");
  }

  /** Each demo patient's first encounter, by patient id, as the embedded server loaded them. */
  static Map<String, String> demoEncounters() {
    Map<String, String> encounters = new LinkedHashMap<>();
    for (Bundle.BundleEntryComponent entry : DemoData.patients(FhirHttp.FHIR, LocalDate.now()).getEntry()) {
      if (entry.getResource() instanceof Encounter encounter) {
        encounters.putIfAbsent(encounter.getSubject().getReferenceElement().getIdPart(), encounter.getIdPart());
      }
    }
    return encounters;
  }

  /**
   * Every chart the pre-fill checks read, patient to encounter: each demo patient's first
   * encounter, and the {@link EdgeCharts}, loaded here once. Each edge chart is first checked to
   * be read by {@code $populate} as the rules say, so that agreeing with it means something.
   */
  Map<String, String> prefillCharts() {
    if (edgeCharts == null) {
      EdgeCharts.Charts charts = EdgeCharts.build(LocalDate.now());
      FhirHttp.Reply loaded = http.post("", charts.bundle());
      assertThat(loaded.status()).as(loaded.body()).isEqualTo(200);
      charts.encounters().forEach((patient, encounter) -> {
        Map<String, String> populated = new TreeMap<>(answers(populate(patient, encounter)));
        String indication = populated.remove("indication");
        assertThat(indication).as(patient).isEqualTo(EdgeCharts.indication(patient) == null ? null
            : INDICATION + "|" + EdgeCharts.indication(patient));
        assertThat(populated.keySet()).as("$populate's yes answers for %s", patient)
            .containsExactlyInAnyOrderElementsOf(EdgeCharts.YES.get(patient));
        assertThat(populated.values()).as(patient).allMatch((YES_NO + "|Y")::equals);
      });
      edgeCharts = charts.encounters();
    }
    Map<String, String> all = new LinkedHashMap<>(demoEncounters());
    all.putAll(edgeCharts);
    return all;
  }

  /** {@code $populate} for the patient and encounter: its in-progress response. */
  QuestionnaireResponse populate(String patient, String encounter) {
    Parameters request = new Parameters();
    request.addParameter().setName("subject").setValue(new Reference("Patient/" + patient));
    Parameters.ParametersParameterComponent context = request.addParameter().setName("context");
    context.addPart().setName("name").setValue(new StringType("encounter"));
    context.addPart().setName("content").setValue(new Reference("Encounter/" + encounter));
    FhirHttp.Reply reply = http.post("Questionnaire/" + questionnaire.getIdElement().getIdPart() + "/$populate", request);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return (QuestionnaireResponse) reply.as(Parameters.class).getParameter("response").getResource();
  }

  /** Each answered item as linkId to {@code system|code}. */
  static Map<String, String> answers(QuestionnaireResponse response) {
    Map<String, String> answers = new TreeMap<>();
    for (QuestionnaireResponse.QuestionnaireResponseItemComponent item : response.getItem()) {
      for (QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
        Coding coding = answer.getValueCoding();
        answers.put(item.getLinkId(), coding.getSystem() + "|" + coding.getCode());
      }
    }
    return answers;
  }

  /**
   * The page's clock runs at the server's time in the server's time zone: fhirpath's {@code
   * today()} then names the day {@code $populate} counted from. Set before the page's scripts run.
   */
  void pinTheBrowserClockTo(Instant serverTime) {
    ChromiumDriver chromium = (ChromiumDriver) browser;
    chromium.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", TimeZone.getDefault().getID()));
    if (clockScript != null) {
      chromium.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", clockScript));
    }
    clockScript = (String) chromium.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
        Map.of("source", pinnedClock(serverTime))).get("identifier");
  }

  /** A script that makes {@code Date} run at {@code time}'s offset from the real clock. */
  static String pinnedClock(Instant time) {
    return """
        (() => {
          const Real = Date;
          const offset = %d - Real.now();
          class Pinned extends Real {
            constructor(...args) { if (args.length === 0) { super(Real.now() + offset); } else { super(...args); } }
            static now() { return Real.now() + offset; }
          }
          globalThis.Date = Pinned;
        })();
        """.formatted(time.toEpochMilli());
  }

  /** The outcome, and each reason as linkId, severity, finding, what it raises and what it needs. */
  record Decision(String outcome, List<String> reasons) {}

  Decision evaluate(QuestionnaireResponse response) {
    FhirHttp.Reply reply = http.post("QuestionnaireResponse/$evaluate", response);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    Parameters parameters = reply.as(Parameters.class);
    return new Decision(parameters.getParameter("outcome").getValue().primitiveValue(),
        parameters.getParameters("reason").stream().map(reason -> String.join(":",
            part(reason, "linkId"), part(reason, "severity"), part(reason, "finding"), part(reason, "raises"),
            part(reason, "needed"))).sorted().toList());
  }

  private static String part(Parameters.ParametersParameterComponent parameter, String name) {
    return parameter.getPart().stream().filter(p -> p.getName().equals(name)).findFirst()
        .map(p -> p.getValue().primitiveValue()).orElse(null);
  }
}
