package org.prostateed.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.content.ContentException;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.content.ContentLoaderTestAccess;
import org.prostateed.content.ContentValidator;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.Severity;
import org.prostateed.content.ShippedContent;

/**
 * docs/chart-reading.md, "In any SDC renderer", and content/README.md, "Pre-fill expressions": the
 * questionnaire carries its pre-fill rules as SDC expressions, generated from the rules and held to
 * them when content is loaded, so that the approved file is the one a renderer runs.
 */
class ChartExpressionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUESTIONNAIRE = "questionnaire/prostate-massage-contraindications.json";

  @Test
  void theShippedQuestionnaireCarriesTheExpressionsItsRulesGive() throws Exception {
    ContraindicationQuestionnaire questionnaire = ShippedContent.questionnaire();
    ChartExpressions expressions = new ChartExpressions(ShippedContent.library());

    assertThat(expressions.outdated()).isEmpty();
    // Written again, the file is the same to the byte: generating is idempotent and keeps the layout.
    assertThat(expressions.write(questionnaire))
        .isEqualTo(Files.readString(ShippedContent.folder().resolve(QUESTIONNAIRE)));
  }

  @Test
  void everyItemTheChartCanAnswerHasOneInitialExpressionAndNoOtherItemHasOne() throws Exception {
    ContraindicationQuestionnaire questionnaire = ShippedContent.questionnaire();
    Map<String, List<String>> expressions = initialExpressions(JSON.readTree(questionnaire.json()));

    for (ContraindicationItem item : questionnaire.items()) {
      boolean answerable = item.severity() == Severity.GATE || !item.prefillRules().isEmpty();
      assertThat(expressions.getOrDefault(item.linkId(), List.of())).as(item.linkId())
          .hasSize(answerable ? 1 : 0);
    }
    // "Yes" only: each expression is an iif whose one result is the item's own Yes option.
    expressions.forEach((linkId, found) -> {
      if (!linkId.equals("indication")) {
        assertThat(found.get(0)).startsWith("iif(")
            .endsWith(", %factory.Coding('http://terminology.hl7.org/CodeSystem/v2-0136', 'Y', 'Yes'))");
      }
    });
    assertThat(expressions.get("indication").get(0)).contains("'Encounter/' + %encounter.id")
        .contains("'chronic-prostatitis'").contains("'bph'");
  }

  @Test
  void theQueriesAreThePrefetchSearchesForTheLaunchPatient() throws Exception {
    JsonNode root = JSON.readTree(ShippedContent.questionnaire().json());
    Map<String, String> queries = new TreeMap<>();
    List<String> launch = new ArrayList<>();
    for (JsonNode extension : root.path("extension")) {
      if (extension.path("url").asText().equals(ChartExpressions.VARIABLE)
          && extension.path("valueExpression").path("language").asText().equals("application/x-fhir-query")) {
        queries.put(extension.path("valueExpression").path("name").asText(),
            extension.path("valueExpression").path("expression").asText());
      }
      if (extension.path("url").asText().equals(ChartExpressions.LAUNCH_CONTEXT)) {
        launch.add(extension.path("extension").get(0).path("valueCoding").path("code").asText());
      }
    }
    assertThat(launch).containsExactly("patient", "encounter");
    ChartQueries chart = new ChartQueries(ShippedContent.library());
    assertThat(queries.keySet()).containsExactlyInAnyOrderElementsOf(chart.all().stream().map(ChartSearch::key).toList());
    for (ChartSearch search : chart.all()) {
      String expected = search.template().replace("|", "%7C").replace(ChartSearch.PATIENT, "{{%patient.id}}")
          + (search.latestOnly() ? "" : "&_count=" + ChartExpressions.PAGE_SIZE);
      assertThat(queries.get(search.key())).as(search.key()).isEqualTo(expected).doesNotContain("|");
    }
  }

  @Test
  void aChangedRuleMakesTheQuestionnaireOutdatedUntilItsExpressionsAreWrittenAgain(@TempDir Path dir) throws Exception {
    Path copy = ContentLoaderTestAccess.copyOfShipped(dir);
    Path valueSet = copy.resolve("valuesets/prostatic-calculi.json");
    ObjectNode set = (ObjectNode) JSON.readTree(valueSet.toFile());
    ((ObjectNode) set.path("compose").path("include").get(0).path("filter").get(0)).put("value", "N42.3");
    ((ObjectNode) set.path("expansion").path("contains").get(0)).put("code", "N42.3").put("display", "Dysplasia of prostate");
    Files.writeString(valueSet, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(set));

    ContentLibrary changed = new ContentLoader(JSON).load(copy);
    List<ContentValidator.Finding> findings = ChartExpressions.check(JSON).check(copy);
    assertThat(findings).singleElement().satisfies(finding -> {
      assertThat(finding.level()).isEqualTo(ContentValidator.Level.ERROR);
      assertThat(finding.where()).isEqualTo(ShippedContent.questionnaire().url());
      assertThat(finding.message()).contains("content --content-dir <dir> expressions");
    });
    assertThatThrownBy(() -> ChartExpressions.requireCurrent(changed)).isInstanceOf(ContentException.class)
        .hasMessageContaining("pre-fill expressions are not those its pre-fill rules give");

    ContraindicationQuestionnaire questionnaire = changed.questionnaire(ShippedContent.questionnaire().url());
    Files.writeString(copy.resolve(QUESTIONNAIRE), new ChartExpressions(changed).write(questionnaire));
    ContentLibrary rewritten = new ContentLoader(JSON).load(copy);
    assertThat(ChartExpressions.check(JSON).check(copy)).isEmpty();
    assertThat(initialExpressions(JSON.readTree(rewritten.questionnaire(questionnaire.url()).json()))
        .get("prostatic-calculi").get(0)).contains("matches('^(N423).*$')").doesNotContain("N420");
  }

  @Test
  void aHandEditedExpressionIsRefused(@TempDir Path dir) throws Exception {
    Path copy = ContentLoaderTestAccess.copyOfShipped(dir);
    Path file = copy.resolve(QUESTIONNAIRE);
    Files.writeString(file, Files.readString(file).replace("'Y', 'Yes'))\"", "'N', 'No'))\""));

    assertThatThrownBy(() -> ChartExpressions.requireCurrent(new ContentLoader(JSON).load(copy)))
        .isInstanceOf(ContentException.class);
  }

  private static Map<String, List<String>> initialExpressions(JsonNode questionnaire) {
    Map<String, List<String>> found = new TreeMap<>();
    for (JsonNode item : questionnaire.path("item")) {
      for (JsonNode extension : item.path("extension")) {
        if (extension.path("url").asText().equals(ChartExpressions.INITIAL_EXPRESSION)) {
          assertThat(extension.path("valueExpression").path("language").asText()).isEqualTo("text/fhirpath");
          found.computeIfAbsent(item.path("linkId").asText(), linkId -> new ArrayList<>())
              .add(extension.path("valueExpression").path("expression").asText());
        }
      }
    }
    return found;
  }
}
