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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;
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
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.prostateed.chart.ChartExpressions;
import org.prostateed.server.DemoData;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/**
 * The questionnaire in an SDC renderer nobody here wrote: LHC-Forms (npm {@code lforms}) in
 * headless Chromium renders the Questionnaire the plugin published, every item is answered
 * through the renderer's own radio buttons, and the QuestionnaireResponse LHC-Forms produces must
 * evaluate exactly like the same answers sent as the app sends them (issue 22: "the response it
 * produces evaluates exactly like the app's, new items included").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LhcFormsIT {

  private static final String YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136";
  private static final String UNKNOWN = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
  private static final String INDICATION = "http://prostateed.org/fhir/CodeSystem/massage-indication";
  private static final String PERFORMER = "http://prostateed.org/fhir/CodeSystem/massage-performer";

  private EmbeddedServer server;
  private HttpServer pages;
  private WebDriver browser;
  private FhirHttp http;
  private String page;
  private String questionnaireJson;
  private String clockScript;
  private Questionnaire questionnaire;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    browser = HeadlessChromium.start(dir);
    Map<String, Path> folders = Map.of(
        "/lforms/", NpmPackages.unpacked("lforms", NpmPackages.LFORMS_VERSION).resolve("dist").resolve("lforms"),
        "/fhirclient/", NpmPackages.unpacked("fhirclient", NpmPackages.FHIRCLIENT_VERSION).resolve("build"));
    server = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0, StoreSettings.h2File(dir.resolve("data")),
        Optional.empty(), true));
    String fhirBase = "http://127.0.0.1:" + server.port() + "/fhir";
    http = new FhirHttp(fhirBase);
    questionnaire = http.search(Questionnaire.class, "url=" + Responses.QUESTIONNAIRE).get(0);
    questionnaireJson = FhirHttp.FHIR.newJsonParser().encodeResourceToString(questionnaire);
    pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] testPage = Files.readAllBytes(Path.of("src", "test", "resources", "sdc", "lhc-forms.html"));
    HttpClient fhirClient = HttpClient.newHttpClient();
    pages.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      String type;
      if (path.startsWith("/fhir/")) {
        // The page's FHIR server on its own origin, as an EHR serves a renderer: the renderer's
        // searches (GET only) go to the embedded server unchanged.
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
        exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
        exchange.sendResponseHeaders(forwarded.statusCode(), forwarded.body().length);
        exchange.getResponseBody().write(forwarded.body());
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

  /**
   * Issue 25: "For every demo patient, LHC-Forms pointed at the embedded server pre-fills exactly
   * $populate's answers", from the questionnaire's own launchContext, x-fhir-query variables and
   * initialExpressions, with the browser's clock pinned to the server's (the windowed rules count
   * back from today). "The demo patients together make every pre-fillable item 'yes' at least
   * once", and an expression answers "yes" or the indication, never "no".
   */
  @Test
  void lhcFormsPrefillsFromTheChartExactlyWhatPopulateDoes() {
    Map<String, String> encounters = new LinkedHashMap<>();
    for (Bundle.BundleEntryComponent entry : DemoData.patients(FhirHttp.FHIR, LocalDate.now()).getEntry()) {
      if (entry.getResource() instanceof Encounter encounter) {
        encounters.putIfAbsent(encounter.getSubject().getReferenceElement().getIdPart(), encounter.getIdPart());
      }
    }
    Set<String> prefilled = new TreeSet<>();
    for (Map.Entry<String, String> patient : encounters.entrySet()) {
      QuestionnaireResponse populated = populate(patient.getKey(), patient.getValue());
      pinTheBrowserClockTo(populated.getAuthored().toInstant());
      Map<String, String> expected = answers(populated);
      Map<String, String> rendered = prefillInLhcForms(patient.getKey(), patient.getValue(), expected);
      assertThat(rendered).as("LHC-Forms' pre-fill for %s equals $populate's", patient.getKey()).isEqualTo(expected);
      rendered.forEach((linkId, answer) -> assertThat(linkId.equals("indication") || answer.equals(YES_NO + "|Y"))
          .as("%s pre-filled %s for %s: only yes, or the indication", linkId, answer, patient.getKey()).isTrue());
      prefilled.addAll(rendered.keySet());
    }
    Set<String> withExpression = new TreeSet<>();
    questionnaire.getItem().stream().filter(item -> item.hasExtension(ChartExpressions.INITIAL_EXPRESSION))
        .forEach(item -> withExpression.add(item.getLinkId()));
    assertThat(withExpression).hasSize(21);
    assertThat(prefilled).as("every item with an initialExpression is pre-filled for some demo patient")
        .isEqualTo(withExpression);
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

  private QuestionnaireResponse populate(String patient, String encounter) {
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
  private static Map<String, String> answers(QuestionnaireResponse response) {
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
  private void pinTheBrowserClockTo(Instant serverTime) {
    ChromiumDriver chromium = (ChromiumDriver) browser;
    chromium.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", TimeZone.getDefault().getID()));
    if (clockScript != null) {
      chromium.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", clockScript));
    }
    clockScript = (String) chromium.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        (() => {
          const Real = Date;
          const offset = %d - Real.now();
          class Pinned extends Real {
            constructor(...args) { if (args.length === 0) { super(Real.now() + offset); } else { super(...args); } }
            static now() { return Real.now() + offset; }
          }
          globalThis.Date = Pinned;
        })();
        """.formatted(serverTime.toEpochMilli()))).get("identifier");
  }

  /**
   * Renders the form with pre-population for the patient and encounter, through fhirclient on the
   * page's {@code /fhir}, and reads the answers LHC-Forms filled in: once they equal {@code
   * expected} (or after the wait), and again a second later, so that a late answer still counts.
   */
  private Map<String, String> prefillInLhcForms(String patient, String encounter, Map<String, String> expected) {
    browser.get(page);
    JavascriptExecutor js = (JavascriptExecutor) browser;
    Object added = js.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const client = FHIR.client({serverUrl: location.origin + '/fhir',
            tokenResponse: {patient: arguments[1], encounter: arguments[2]}});
        LForms.Util.setFHIRContext(client);
        LForms.Util.addFormToPage(JSON.parse(arguments[0]), 'form', {prepopulate: true})
            .then(() => done('ok'), e => done(String(e)));
        """, questionnaireJson, patient, encounter);
    assertThat(added).isEqualTo("ok");
    Map<String, String> rendered = new TreeMap<>();
    try {
      new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> {
        rendered.clear();
        rendered.putAll(renderedAnswers(js));
        return rendered.equals(expected);
      });
    } catch (org.openqa.selenium.TimeoutException differs) {
      return rendered;
    }
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return renderedAnswers(js);
  }

  private static Map<String, String> renderedAnswers(JavascriptExecutor js) {
    String json = (String) js.executeScript(
        "return JSON.stringify(LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form')));");
    return answers(FhirHttp.FHIR.newJsonParser().parseResource(QuestionnaireResponse.class, json));
  }

  /**
   * Fills the form in LHC-Forms with these answers, clicking each item's radio button, and checks
   * that its response and the app-shaped response of the same answers get the same decision.
   */
  private void assertEvaluatesLikeTheApp(Map<String, Coding> answers, String expectedOutcome) {
    QuestionnaireResponse rendered = fillInLhcForms(answers);
    assertThat(rendered.getItem()).extracting(QuestionnaireResponse.QuestionnaireResponseItemComponent::getLinkId)
        .as("LHC-Forms answered every item").containsExactlyInAnyOrderElementsOf(answers.keySet());
    Responses app = Responses.anonymous();
    answers.forEach((linkId, coding) -> app.answer(linkId, coding.getSystem(), coding.getCode()));

    Decision fromLhcForms = evaluate(rendered);
    Decision fromApp = evaluate(app.build());

    assertThat(fromLhcForms.outcome()).isEqualTo(expectedOutcome);
    assertThat(fromLhcForms).isEqualTo(fromApp);
  }

  private QuestionnaireResponse fillInLhcForms(Map<String, Coding> answers) {
    browser.get(page);
    JavascriptExecutor js = (JavascriptExecutor) browser;
    // As in an EHR, a patient is in context (LHC-Forms does not render a form whose queries name
    // %patient without one); without pre-population the chart answers nothing.
    Object added = js.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        LForms.Util.setFHIRContext(FHIR.client({serverUrl: location.origin + '/fhir',
            tokenResponse: {patient: 'demo-bowel'}}));
        LForms.Util.addFormToPage(JSON.parse(arguments[0]), 'form', {}).then(() => done('ok'), e => done(String(e)));
        """, questionnaireJson);
    assertThat(added).isEqualTo("ok");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    answers.forEach((linkId, coding) -> {
      String id = linkId + "/1|" + coding.getSystem() + "|" + coding.getCode();
      By label = By.cssSelector("label[id=\"" + id + "\"]");
      wait.until(driver -> !driver.findElements(label).isEmpty());
      browser.findElement(label).click();
      wait.until(driver -> driver.findElement(label).getAttribute("class").contains("ant-radio-wrapper-checked"));
    });
    String json = (String) js.executeScript(
        "return JSON.stringify(LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form')));");
    QuestionnaireResponse response = FhirHttp.FHIR.newJsonParser().parseResource(QuestionnaireResponse.class, json);
    // A renderer leaves the status to the user's submit; the app sends its answers completed too.
    response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
    return response;
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

  /** The outcome, and each reason as linkId, severity, finding, what it raises and what it needs. */
  private record Decision(String outcome, List<String> reasons) {}

  private Decision evaluate(QuestionnaireResponse response) {
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
