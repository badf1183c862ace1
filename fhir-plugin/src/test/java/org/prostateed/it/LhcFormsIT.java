package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
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
  private Questionnaire questionnaire;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    browser = HeadlessChromium.start(dir);
    Path lforms = NpmPackages.unpacked("lforms", NpmPackages.LFORMS_VERSION).resolve("dist").resolve("lforms");
    server = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0, StoreSettings.h2File(dir.resolve("data")),
        Optional.empty(), true));
    http = new FhirHttp("http://127.0.0.1:" + server.port() + "/fhir");
    questionnaire = http.search(Questionnaire.class, "url=" + Responses.QUESTIONNAIRE).get(0);
    questionnaireJson = FhirHttp.FHIR.newJsonParser().encodeResourceToString(questionnaire);
    pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] testPage = Files.readAllBytes(Path.of("src", "test", "resources", "sdc", "lhc-forms.html"));
    pages.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      Path file = path.startsWith("/lforms/") ? lforms.resolve(path.substring("/lforms/".length())).normalize() : null;
      byte[] body;
      String type;
      if ("/".equals(path)) {
        body = testPage;
        type = "text/html; charset=utf-8";
      } else if (file != null && file.startsWith(lforms) && Files.isRegularFile(file)) {
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
    Object added = js.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
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
