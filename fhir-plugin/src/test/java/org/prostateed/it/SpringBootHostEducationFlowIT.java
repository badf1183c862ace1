package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 24: "The Spring Boot host test passes the flow suite ... with the plugin loaded only
 * through properties and the packaged jar on loader.path": the whole flow suite in a Spring Boot
 * host built like the HAPI starter ({@link SpringBootHost}), its {@link HostRules} in front (the
 * suite calls as the host's administrator). The endpoints are mounted where the Spring
 * configuration puts them by default, under {@code /prostate-education/}: every link they give
 * follows the mount, and nothing is served at the embedded server's paths.
 */
class SpringBootHostEducationFlowIT extends EducationFlowContract {

  private static final String MOUNT = "/prostate-education";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private SpringBootHost host;

  @Override
  Running start(Path dataDir) throws Exception {
    host = startHost(dataDir.resolve("host"));
    host.loadDemoPatients();
    return new Running(host.fhirBase(), host.fhirBase(), host, true);
  }

  SpringBootHost startHost(Path dir) throws Exception {
    return SpringBootHost.starterLike(dir);
  }

  @Override
  FhirHttp client(Running running) {
    return super.client(running).withBearer(HostRules.ADMIN);
  }

  // Issue 24: "with the plugin loaded only through properties and the packaged jar on loader.path".
  @Test
  void thePluginCameOnlyThroughTheStartersPropertiesAndLoaderPath() throws Exception {
    String configuration = "org/prostateed/spring/ProstateEducationConfiguration.class";
    assertThat(host.hostPath()).isNotEmpty().allSatisfy(entry -> {
      if (java.nio.file.Files.isDirectory(entry)) {
        assertThat(entry.resolve(configuration)).doesNotExist();
      } else {
        try (java.util.zip.ZipFile archive = new java.util.zip.ZipFile(entry.toFile())) {
          assertThat(archive.stream().map(java.util.zip.ZipEntry::getName))
              .as(entry.toString()).noneMatch(name -> name.endsWith(configuration) || name.contains("prostate-education"));
        }
      }
    });
    assertThat(host.logText()).contains("content published").doesNotContain("ERROR o.p.");
  }

  // docs/api.md: discovery lists the two services; a card's SMART link opens the app where it is mounted.
  @Test
  void cdsHooksAnswerAtTheMountAndTheirLinksFollowIt() throws Exception {
    JsonNode services = json.readTree(get(MOUNT + "/cds-services").body()).get("services");
    assertThat(services).extracting(s -> s.get("id").asText())
        .containsExactly("prostate-education-encounter-start", "prostate-education-patient-view");

    // A new qualifying encounter, so no other test's give has changed its card. The chart is read
    // back from the host's FHIR API with the token given, through the host's rule.
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    String request = """
        {"hook": "encounter-start", "hookInstance": "0b4e6c8e-3b5e-4a57-8a39-2f1f9d1c7a10",
         "fhirServer": "%s",
         "fhirAuthorization": {"access_token": "%s", "token_type": "Bearer", "expires_in": 300,
                               "scope": "patient/*.read", "subject": "cds-service"},
         "context": {"userId": "Practitioner/demo-practitioner", "patientId": "%s", "encounterId": "%s"}}"""
        .formatted(host.fhirBase(), HostRules.ADMIN, encounter.patientId(), encounter.encounterId());
    HttpResponse<String> reply = client.send(HttpRequest.newBuilder(
            URI.create(host.origin() + MOUNT + "/cds-services/prostate-education-encounter-start"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    List<String> links = new ArrayList<>();
    json.readTree(reply.body()).get("cards").forEach(card -> card.path("links")
        .forEach(link -> links.add(link.get("url").asText())));
    assertThat(links).as(reply.body()).isNotEmpty().allMatch(url -> url.equals(host.origin() + MOUNT + "/app/launch"));
  }

  // docs/api.md: the Infobutton "links to the vetted handouts for the code"; the links follow the handouts' mount.
  @Test
  void theInfobuttonFeedLinksToHandoutsAtTheirMount() throws Exception {
    HttpResponse<String> feed = get(MOUNT + "/infobutton?mainSearchCriteria.v.c=N41.1"
        + "&mainSearchCriteria.v.cs=2.16.840.1.113883.6.90&knowledgeResponseType=application/json");

    assertThat(feed.statusCode()).isEqualTo(200);
    String href = json.readTree(feed.body()).get("feed").get("entry").get(0).get("link").get(0).get("href").asText();
    assertThat(href).startsWith(host.origin() + MOUNT + "/handouts/prostate-massage/en/");
    HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(href)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(org.jsoup.Jsoup.parse(page.body()).select("html").attr("lang")).isEqualTo("en");
  }

  @Test
  void theAppIsServedAtItsMountAndCallsTheHostsFhirBase() throws Exception {
    HttpResponse<String> bare = get(MOUNT + "/app");
    HttpResponse<String> config = get(MOUNT + "/app/config");
    HttpResponse<String> page = get(MOUNT + "/app/");

    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith(MOUNT + "/app/");
    assertThat(json.readTree(config.body()).get("fhirBase").asText()).isEqualTo("/fhir");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  void nothingIsServedAtTheEmbeddedServersPaths() throws Exception {
    for (String path : List.of("/cds-services", "/infobutton", "/app/", "/handouts/prostate-massage/en/0.2.0")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(404);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(host.origin() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
