package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/**
 * Issue 2: "Restarting the server keeps all data and does not duplicate content or Tasks", and
 * docs/api.md, the flow: content is published "idempotently by canonical url|version".
 */
class RestartIT {

  private static final List<Class<? extends Resource>> COUNTED = List.of(
      Questionnaire.class, ValueSet.class, CodeSystem.class, Library.class, Task.class, Patient.class,
      DocumentReference.class);

  @Test
  void restartingTwiceKeepsDataAndDuplicatesNothing(@TempDir Path dataDir) throws Exception {
    Map<String, Integer> first;
    try (EmbeddedServer server = start(dataDir)) {
      FhirHttp http = http(server);
      assertHealthy(server);
      first = counts(http);
    }
    var library = org.prostateed.content.ShippedContent.library();
    assertThat(first.get("Questionnaire")).isEqualTo(library.questionnaires().size());
    assertThat(first.get("Library")).isEqualTo(library.handouts().size());
    assertThat(first.get("ValueSet")).isEqualTo(library.codeSets().size());
    assertThat(first.get("CodeSystem")).isEqualTo(library.codeSystemsJson().size());
    assertThat(first.get("Task")).as("the nine qualifying demo encounters (docs/api.md, demo encounters)").isEqualTo(9);

    for (int restart = 1; restart <= 2; restart++) {
      try (EmbeddedServer server = start(dataDir)) {
        assertHealthy(server);
        assertThat(counts(http(server))).as("after restart " + restart).isEqualTo(first);
      }
    }
  }

  private static EmbeddedServer start(Path dataDir) throws Exception {
    return EmbeddedServer.start(new ServerSettings("127.0.0.1", 0, StoreSettings.h2File(dataDir), Optional.empty(), true));
  }

  private static FhirHttp http(EmbeddedServer server) {
    return new FhirHttp("http://127.0.0.1:" + server.port() + "/fhir");
  }

  // docs/api.md: "/health: 200 once content is loaded and the FHIR store answers".
  private static void assertHealthy(EmbeddedServer server) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(response.body());
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.get("fhirStore").asText()).isEqualTo("UP");
  }

  private static Map<String, Integer> counts(FhirHttp http) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Class<? extends Resource> type : COUNTED) {
      counts.put(type.getSimpleName(), http.count(type, "_elements=id"));
    }
    return counts;
  }
}
