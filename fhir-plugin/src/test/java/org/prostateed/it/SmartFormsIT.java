package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * CSIRO's Smart Forms renderer (npm {@code @aehrc/smart-forms-renderer}, a React component) as
 * the second renderer of {@link SdcRendererContract}, on a test page bundled with esbuild from
 * npm; and CSIRO's {@code @aehrc/sdc-populate} run in Node as a second pre-fill engine, beside
 * LHC-Forms, reading the questionnaire's own expressions.
 */
class SmartFormsIT extends SdcRendererContract {

  private Path project;

  @Override
  String pageFile() {
    return "smart-forms.html";
  }

  @Override
  Map<String, Path> folders() throws Exception {
    project = NpmPackages.installed("smart-forms", NpmPackages.SMART_FORMS);
    for (String file : List.of("smart-forms-page.js", "sdc-populate-check.mjs")) {
      Files.copy(Path.of("src", "test", "resources", "sdc", file), project.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    boolean bundled = NpmPackages.run(project, 180, "node_modules/.bin/esbuild", "smart-forms-page.js", "--bundle",
        "--format=iife", "--minify", "--outdir=dist", "--define:process.env.NODE_ENV=\"production\"",
        "--loader:.woff=file", "--loader:.woff2=file", "--loader:.ttf=file", "--log-level=error");
    assertThat(bundled).as("esbuild bundled the Smart Forms page (" + project.resolve("npm.log") + ")").isTrue();
    return Map.of("/smart-forms/", project.resolve("dist"));
  }

  @Override
  QuestionnaireResponse fill(Map<String, Coding> answers) {
    browser.get(page);
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript("smartForms.render(JSON.parse(arguments[0]));", questionnaireJson);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    answers.forEach((linkId, coding) -> {
      // Smart Forms names an item's radio group choice-<linkId> and each radio by its code.
      By radio = By.cssSelector("#choice-" + linkId + " input[type=radio][value=\"" + coding.getCode() + "\"]");
      WebElement input = wait.until(driver -> driver.findElements(radio).stream().findFirst().orElse(null));
      input.findElement(By.xpath("ancestor::label[1]")).click();
      wait.until(driver -> driver.findElement(radio).isSelected());
    });
    String json = (String) js.executeScript("return JSON.stringify(smartForms.response());");
    return FhirHttp.FHIR.newJsonParser().parseResource(QuestionnaireResponse.class, json)
        .setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
  }

  /**
   * Issue 25: "@aehrc/sdc-populate run in Node as a second, independent pre-fill check": for every
   * demo patient and every chart at the edge of a rule ({@link EdgeCharts}) it pre-fills from the
   * questionnaire's expressions exactly what {@code $populate} does, its clock at the server's.
   */
  @Test
  void sdcPopulateInNodePrefillsExactlyWhatPopulateDoes() throws Exception {
    Map<String, String> encounters = prefillCharts();
    Map<String, Map<String, String>> expected = new TreeMap<>();
    encounters.forEach((patient, encounter) -> expected.put(patient, answers(populate(patient, encounter))));
    Path questionnaireFile = project.resolve("questionnaire.json");
    Files.writeString(questionnaireFile, questionnaireJson);
    Path out = project.resolve("sdc-populate-answers.json");
    Files.deleteIfExists(out);
    List<String> command = new ArrayList<>(List.of("node", "sdc-populate-check.mjs", fhirBase,
        questionnaireFile.toString(), out.toString(), String.valueOf(Instant.now().toEpochMilli())));
    encounters.forEach((patient, encounter) -> command.add(patient + "=" + encounter));

    boolean ran = NpmPackages.run(project, 300, command.toArray(String[]::new));

    assertThat(ran).as("sdc-populate ran (" + project.resolve("npm.log") + ")").isTrue();
    JsonNode results = new ObjectMapper().readTree(out.toFile());
    Map<String, Map<String, String>> found = new TreeMap<>();
    results.fields().forEachRemaining(patient -> {
      assertThat(patient.getValue().path("success").asBoolean()).as(patient.getKey()).isTrue();
      Map<String, String> answers = new TreeMap<>();
      patient.getValue().path("answers").fields().forEachRemaining(a -> answers.put(a.getKey(), a.getValue().asText()));
      found.put(patient.getKey(), answers);
    });
    assertThat(found).isEqualTo(expected);
    assertThat(found.values().stream().mapToInt(Map::size).sum()).as("the demo charts pre-fill something").isGreaterThan(20);
  }
}
