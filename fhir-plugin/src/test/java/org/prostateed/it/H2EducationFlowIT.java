package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationDefinition.OperationDefinitionParameterComponent;
import org.junit.jupiter.api.Test;
import org.prostateed.server.StoreSettings;

/** The end-to-end flow on the embedded default: HAPI JPA on an H2 file. */
class H2EducationFlowIT extends EducationFlowContract {

  private static final Path API = Path.of("../docs/api.md");
  private static final String REFERENCE = "## Reference: the operations as HAPI publishes them";

  @Override
  Running start(Path dataDir) throws Exception {
    return embedded(StoreSettings.h2File(dataDir));
  }

  /**
   * Issue 24: docs/api.md's reference part is generated from the OperationDefinitions HAPI
   * publishes. This test renders them and requires docs/api.md to end with exactly that text; with
   * {@code -Ddocs.write=true} it writes the text there instead.
   */
  @Test
  void theApiReferenceIsWhatHapiPublishes() throws Exception {
    CapabilityStatement capability = http.get("metadata").as(CapabilityStatement.class);
    Set<String> urls = new java.util.TreeSet<>();
    capability.getRestFirstRep().getResource().forEach(resource -> resource.getOperation()
        .forEach(operation -> urls.add(operation.getDefinition())));
    capability.getRestFirstRep().getOperation().forEach(operation -> urls.add(operation.getDefinition()));
    Set<String> ours = org.prostateed.fhir.EducationOperations.providerClasses().stream()
        .flatMap(provider -> java.util.Arrays.stream(provider.getMethods()))
        .map(method -> method.getAnnotation(ca.uhn.fhir.rest.annotation.Operation.class))
        .filter(java.util.Objects::nonNull).map(operation -> operation.name().substring(1))
        .collect(java.util.stream.Collectors.toSet());
    TreeMap<String, OperationDefinition> definitions = new TreeMap<>();
    FhirHttp plugin = http.onPluginBase();
    for (String url : urls) {
      // HAPI's own operations may publish definitions that do not resolve; the plugin's all do
      // (theCapabilityStatementListsThePluginOperationsWithDefinitionsThatResolve).
      FhirHttp.Reply reply = plugin.get(url.substring(url.indexOf("OperationDefinition/")));
      if (reply.status() != 200) {
        continue;
      }
      OperationDefinition definition = reply.as(OperationDefinition.class);
      if (ours.contains(definition.getCode())) {
        definitions.put(definition.getCode() + " " + String.join(",", definition.getResource().stream()
            .map(r -> r.getValue()).toList()) + " " + scope(definition), definition);
      }
    }
    StringBuilder reference = new StringBuilder(REFERENCE).append("\n\n")
        .append("Generated from the OperationDefinitions listed in `/fhir/metadata` (`H2EducationFlowIT` keeps\n")
        .append("this part equal to them; `-Ddocs.write=true` rewrites it). The sections above say what each\n")
        .append("parameter means.\n");
    for (OperationDefinition definition : definitions.values()) {
      reference.append("\n### `$").append(definition.getCode()).append("` on ")
          .append(String.join(", ", definition.getResource().stream().map(r -> r.getValue()).toList()))
          .append(" (").append(scope(definition)).append(")\n\n");
      if (definition.getParameter().isEmpty()) {
        reference.append("No parameters.\n");
        continue;
      }
      reference.append("| parameter | use | cardinality | type |\n|---|---|---|---|\n");
      for (OperationDefinitionParameterComponent parameter : definition.getParameter()) {
        reference.append("| `").append(parameter.getName()).append("` | ").append(parameter.getUse().toCode())
            .append(" | ").append(parameter.getMin()).append("..").append(parameter.getMax()).append(" | ")
            .append(parameter.hasType() ? parameter.getType() : "parts").append(" |\n");
      }
    }
    String docs = Files.readString(API);
    int start = docs.indexOf(REFERENCE);
    String text = reference.toString();
    if (Boolean.getBoolean("docs.write")) {
      Files.writeString(API, (start < 0 ? docs + "\n" : docs.substring(0, start)) + text);
      return;
    }
    assertThat(definitions).isNotEmpty();
    assertThat(start).as("docs/api.md has the part '" + REFERENCE + "'").isNotNegative();
    assertThat(docs.substring(start)).isEqualTo(text);
  }

  private static String scope(OperationDefinition definition) {
    return definition.getInstance() && definition.getType() ? "type and instance"
        : definition.getInstance() ? "instance" : "type";
  }
}
