package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.prostateed.chart.ChartExpressions;

/**
 * LHC-Forms (npm {@code lforms}) as the renderer of {@link SdcRendererContract}, and its
 * pre-population from the questionnaire's own expressions through {@code fhirclient}.
 */
class LhcFormsIT extends SdcRendererContract {

  @Override
  String pageFile() {
    return "lhc-forms.html";
  }

  @Override
  Map<String, Path> folders() throws Exception {
    return Map.of(
        "/lforms/", NpmPackages.unpacked("lforms", NpmPackages.LFORMS_VERSION).resolve("dist").resolve("lforms"),
        "/fhirclient/", NpmPackages.unpacked("fhirclient", NpmPackages.FHIRCLIENT_VERSION).resolve("build"));
  }

  /**
   * Issue 25: "For every demo patient, LHC-Forms pointed at the embedded server pre-fills exactly
   * $populate's answers", and for every chart at the edge of a rule ({@link EdgeCharts}), from the questionnaire's own launchContext, x-fhir-query variables and
   * initialExpressions, with the browser's clock pinned to the server's (the windowed rules count
   * back from today). "The demo patients together make every pre-fillable item 'yes' at least
   * once", and an expression answers "yes" or the indication, never "no".
   */
  @Test
  void lhcFormsPrefillsFromTheChartExactlyWhatPopulateDoes() {
    Set<String> prefilled = new TreeSet<>();
    for (Map.Entry<String, String> patient : prefillCharts().entrySet()) {
      QuestionnaireResponse populated = populate(patient.getKey(), patient.getValue());
      pinTheBrowserClockTo(populated.getAuthored().toInstant());
      Map<String, String> expected = answers(populated);
      Map<String, String> rendered = prefill(patient.getKey(), patient.getValue(), expected);
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

  /**
   * Renders the form with pre-population for the patient and encounter, through fhirclient on the
   * page's {@code /fhir}, and reads the answers LHC-Forms filled in: once they equal {@code
   * expected} (or after the wait), and for a second after, so that a late answer still counts.
   */
  private Map<String, String> prefill(String patient, String encounter, Map<String, String> expected) {
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
    } catch (TimeoutException differs) {
      return rendered;
    }
    try {
      Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(250)).until(() -> renderedAnswers(js).equals(expected));
    } catch (ConditionTimeoutException changed) {
      // reported by the caller's assertion, with what the form holds now
    }
    return renderedAnswers(js);
  }

  private static Map<String, String> renderedAnswers(JavascriptExecutor js) {
    return answers(response(js));
  }

  private static QuestionnaireResponse response(JavascriptExecutor js) {
    String json = (String) js.executeScript(
        "return JSON.stringify(LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form')));");
    return FhirHttp.FHIR.newJsonParser().parseResource(QuestionnaireResponse.class, json);
  }

  @Override
  QuestionnaireResponse fill(Map<String, Coding> answers) {
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
    return response(js).setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
  }
}
