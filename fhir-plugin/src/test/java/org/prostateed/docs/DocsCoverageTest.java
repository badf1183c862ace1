package org.prostateed.docs;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ShippedContent;
import org.prostateed.fhir.EducationOperations;

/**
 * Issue 24: the project explains itself. Every questionnaire linkId, every FHIR operation and
 * every operation parameter is named in docs/, and docs/clinical-rules.md gives each
 * contraindication item the severity the content gives it, so the two cannot drift apart.
 */
class DocsCoverageTest {

  private static final Path DOCS = ShippedContent.folder().resolveSibling("docs");

  @Test
  void everyLinkIdOperationAndParameterIsNamedInDocs() throws IOException {
    String docs = allDocs();
    List<String> missing = new ArrayList<>();
    for (String linkId : linkIds()) {
      if (!docs.contains("`" + linkId + "`")) {
        missing.add("linkId " + linkId);
      }
    }
    List<Method> methods = EducationOperations.providerClasses().stream()
        .flatMap(provider -> java.util.Arrays.stream(provider.getMethods())).toList();
    assertThat(methods).isNotEmpty();
    for (Method method : methods) {
      Operation operation = method.getAnnotation(Operation.class);
      if (operation == null) {
        continue;
      }
      if (!docs.contains("`" + operation.name() + "`")) {
        missing.add("operation " + operation.name());
      }
      for (Annotation[] annotations : method.getParameterAnnotations()) {
        for (Annotation annotation : annotations) {
          if (annotation instanceof OperationParam param && !docs.contains("`" + param.name() + "`")) {
            missing.add("parameter " + param.name() + " of " + operation.name());
          }
        }
      }
    }
    assertThat(missing).as("named in docs/ (in backticks)").isEmpty();
  }

  @Test
  void theItemTableGivesEachItemItsSeverity() throws IOException {
    List<String> rows = Files.readAllLines(DOCS.resolve("clinical-rules.md")).stream()
        .filter(line -> line.startsWith("|")).toList();
    List<String> wrong = new ArrayList<>();
    for (ContraindicationItem item : ShippedContent.questionnaire().items()) {
      List<String> itemRows = rows.stream().filter(row -> row.startsWith("| `" + item.linkId() + "` |")).toList();
      String severity = item.severity().name().toLowerCase(java.util.Locale.ROOT);
      if (itemRows.size() != 1 || !itemRows.get(0).toLowerCase(java.util.Locale.ROOT).contains(severity)) {
        wrong.add(item.linkId() + " (" + severity + "): " + itemRows);
      }
    }
    assertThat(wrong).as("rows '| `linkId` | ... severity ...' of docs/clinical-rules.md").isEmpty();
  }

  // docs/clinical-rules.md, "Pre-fill from the chart": "Every value of settings.json", in one
  // table that must hold exactly the content's settings and values.
  @Test
  void theSettingsTableHoldsExactlyTheContentsSettings() throws IOException {
    JsonNode settings = new ObjectMapper().readTree(ShippedContent.folder().resolve("settings.json").toFile());
    java.util.Map<String, String> expected = new java.util.TreeMap<>();
    settings.path("values").properties().forEach(e -> expected.put(e.getKey(), e.getValue().asText()));
    settings.path("windowWeeks").properties().forEach(e -> expected.put("windowWeeks." + e.getKey(),
        e.getValue().asText()));
    java.util.Map<String, String> documented = new java.util.TreeMap<>();
    java.util.regex.Pattern row = java.util.regex.Pattern.compile("\\| `([A-Za-z.-]+)` \\| ([0-9.]+) \\|");
    for (String line : Files.readAllLines(DOCS.resolve("clinical-rules.md"))) {
      java.util.regex.Matcher match = row.matcher(line);
      if (match.matches()) {
        documented.put(match.group(1), match.group(2));
      }
    }

    assertThat(expected).isNotEmpty();
    assertThat(documented).isEqualTo(expected);
  }

  // docs/clinical-rules.md: one row per pre-fill extension; the shipped questionnaire uses no other.
  @Test
  void everyPrefillExtensionTheQuestionnaireUsesHasItsRow() throws IOException {
    String rules = Files.readString(DOCS.resolve("clinical-rules.md"));
    Set<String> used = new TreeSet<>();
    Path questionnaires = ShippedContent.folder().resolve("questionnaire");
    try (Stream<Path> files = Files.list(questionnaires)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        new ObjectMapper().readTree(file.toFile()).findValues("url").forEach(url -> {
          String name = url.asText().substring(url.asText().lastIndexOf('/') + 1);
          if (name.startsWith("prefill-")) {
            used.add(name);
          }
        });
      }
    }

    assertThat(used).isNotEmpty().allSatisfy(name -> assertThat(rules).contains("| `" + name + "` |"));
  }

  // docs/hapi-starter.md: "Properties", one row for each setting a Spring host can give.
  @Test
  void everySpringPropertyIsInTheStarterRecipe() throws IOException {
    String recipe = Files.readString(DOCS.resolve("hapi-starter.md"));
    List<String> properties = properties("prostate-education", org.prostateed.spring.ProstateEducationProperties.class);

    assertThat(properties).contains("prostate-education.base-url", "prostate-education.mounts.cds-services");
    assertThat(properties).allSatisfy(property -> assertThat(recipe).contains("| `" + property + "` |"));
  }

  /** The property names Spring Boot binds to a record, nested records included, in kebab case. */
  private static List<String> properties(String prefix, Class<?> type) {
    List<String> names = new ArrayList<>();
    for (var component : type.getRecordComponents()) {
      String name = prefix + "." + component.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
      if (component.getType().isRecord()) {
        names.addAll(properties(name, component.getType()));
      } else {
        names.add(name);
      }
    }
    return names;
  }

  private static String allDocs() throws IOException {
    try (Stream<Path> files = Files.list(DOCS)) {
      StringBuilder text = new StringBuilder();
      for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        text.append(Files.readString(file)).append('\n');
      }
      return text.toString();
    }
  }

  /** Every linkId of the shipped questionnaire, nested items included. */
  private static Set<String> linkIds() throws IOException {
    Path questionnaires = ShippedContent.folder().resolve("questionnaire");
    Set<String> linkIds = new TreeSet<>();
    try (Stream<Path> files = Files.list(questionnaires)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        collect(new ObjectMapper().readTree(file.toFile()).path("item"), linkIds);
      }
    }
    assertThat(linkIds).isNotEmpty();
    return linkIds;
  }

  private static void collect(JsonNode items, Set<String> into) {
    for (JsonNode item : items) {
      into.add(item.path("linkId").asText());
      collect(item.path("item"), into);
    }
  }
}
