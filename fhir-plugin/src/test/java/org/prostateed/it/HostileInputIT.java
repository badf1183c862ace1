package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/**
 * Issue 7: "a corpus of at least 150 malformed and hostile requests across every endpoint ... Each
 * must get a 4xx with a clear message, and the test counts every resource type in the FHIR store
 * before and after: nothing written." docs/api.md: FHIR endpoints answer "an OperationOutcome with a
 * 4xx for every bad input (never a 5xx, never a partial write)".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

  private static final String QR = "QuestionnaireResponse";

  private EmbeddedServer server;
  private String base;
  private FhirHttp http;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One hostile request. */
  record Attack(String name, String method, String path, String contentType, String body, boolean fhir) {}

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    server = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0, StoreSettings.h2File(dir), Optional.empty(), true));
    base = "http://127.0.0.1:" + server.port();
    http = new FhirHttp(base + "/fhir");
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  @Test
  void everyHostileRequestGetsA4xxAndWritesNothing() throws Exception {
    String storedResponse = storedResponseOfAnotherPatient();
    List<Attack> corpus = corpus(storedResponse);
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(150);
    Map<String, Integer> before = http.counts();

    List<String> failures = new ArrayList<>();
    for (Attack attack : corpus) {
      HttpResponse<String> reply = send(attack);
      if (reply.statusCode() < 400 || reply.statusCode() > 499) {
        failures.add(attack.name() + " -> " + reply.statusCode());
        continue;
      }
      if (attack.fhir() && reply.statusCode() != 401) {
        try {
          OperationOutcome outcome = FhirHttp.FHIR.newJsonParser().parseResource(OperationOutcome.class, reply.body());
          if (outcome.getIssue().isEmpty() || outcome.getIssueFirstRep().getDiagnostics() == null
              || outcome.getIssueFirstRep().getDiagnostics().isBlank()) {
            failures.add(attack.name() + " -> an OperationOutcome without a message");
          }
        } catch (RuntimeException notAnOutcome) {
          failures.add(attack.name() + " -> " + reply.statusCode() + " without an OperationOutcome");
        }
      }
    }

    assertThat(failures).as("requests not answered with a clear 4xx").isEmpty();
    assertThat(http.counts()).as("resources in the store before and after").isEqualTo(before);
  }

  // Issue 24: a monitor or a FHIR client asks /health with its own Accept header; the health check
  // answers JSON whatever the caller accepts, never a 406.
  @Test
  void healthAnswersWhateverTheCallerAccepts() throws Exception {
    Map<String, String> expectedType = new LinkedHashMap<>();
    expectedType.put("application/fhir+json", "application/fhir+json");
    expectedType.put("application/json", "application/json");
    expectedType.put("application/json, application/fhir+json", "application/json");
    expectedType.put("text/plain", "application/json");
    expectedType.put("*/*", "application/json");
    for (Map.Entry<String, String> accept : expectedType.entrySet()) {
      HttpResponse<String> reply = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
          .header("Accept", accept.getKey()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(reply.statusCode()).as(accept.getKey()).isEqualTo(200);
      assertThat(reply.headers().firstValue("Content-Type").orElse("")).as(accept.getKey()).startsWith(accept.getValue());
      assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.body()).path("status").asText())
          .as(accept.getKey()).isEqualTo("UP");
    }
  }

  /** A completed response of another patient, stored before the counts are taken. */
  private String storedResponseOfAnotherPatient() {
    FhirHttp.Reply reply = http.post(QR, Responses.forEncounter("demo-cp", "demo-cp-enc").build());
    return reply.as(org.hl7.fhir.r4.model.QuestionnaireResponse.class).getIdElement().getIdPart();
  }

  private List<Attack> corpus(String othersResponse) {
    List<Attack> corpus = new ArrayList<>();
    String json = "application/fhir+json";
    List<String> posts = List.of("/fhir/Encounter/demo-psa-enc/$give-education", "/fhir/QuestionnaireResponse/$evaluate",
        "/fhir/Encounter/demo-psa-enc/$preview-education", "/fhir/Encounter/demo-psa-enc/$record-teach-back",
        "/fhir/Questionnaire/" + questionnaireId() + "/$populate", "/fhir/Encounter/demo-psa-enc/$education");
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("broken JSON", "{\"resourceType\": \"Parameters\", \"parameter\": [");
    bodies.put("empty body", "");
    bodies.put("JSON array", "[1, 2, 3]");
    bodies.put("JSON null", "null");
    bodies.put("wrong resourceType", "{\"resourceType\": \"Patient\", \"name\": [{\"family\": \"x\"}]}");
    bodies.put("unknown resourceType", "{\"resourceType\": \"Spaceship\"}");
    bodies.put("no resourceType", "{\"parameter\": []}");
    bodies.put("deep nesting", "{\"resourceType\":\"Parameters\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
    bodies.put("huge body", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"x\",\"valueString\":\""
        + "A".repeat(6_000_000) + "\"}]}");
    bodies.put("script in strings", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaireResponse\","
        + "\"valueReference\":{\"reference\":\"<script>alert(1)</script>\"}},{\"name\":\"medium\",\"valueCode\":\"<img src=x onerror=alert(1)>\"}]}");
    bodies.put("SQL in strings", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaireResponse\","
        + "\"valueReference\":{\"reference\":\"QuestionnaireResponse/1' OR '1'='1\"}},{\"name\":\"medium\",\"valueCode\":\"print'; DROP TABLE HFJ_RESOURCE;--\"}]}");
    bodies.put("empty Parameters", "{\"resourceType\":\"Parameters\"}");
    bodies.put("wrong parameter types", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaireResponse\",\"valueInteger\":5},"
        + "{\"name\":\"medium\",\"valueBoolean\":true},{\"name\":\"practitioner\",\"valueString\":\"me\"},{\"name\":\"response\",\"valueString\":\"x\"},"
        + "{\"name\":\"subject\",\"valueInteger\":1},{\"name\":\"document\",\"valueInteger\":1},{\"name\":\"result\",\"valueInteger\":1}]}");
    bodies.put("XML that is not FHIR", "<not-fhir><script>alert(1)</script></not-fhir>");
    bodies.put("unicode garbage", "\u0000\u0001\uFFFF{\"resourceType\":\"Parameters\"}");
    for (String path : posts) {
      for (Map.Entry<String, String> body : bodies.entrySet()) {
        if (path.endsWith("$education") && body.getKey().equals("empty Parameters")) {
          continue; // a POST of $education with an empty Parameters is a valid call
        }
        String type = body.getKey().startsWith("XML") ? "application/fhir+xml" : json;
        corpus.add(new Attack(body.getKey() + " to " + path, "POST", path, type, body.getValue(), true));
      }
      corpus.add(new Attack("wrong content type to " + path, "POST", path, "text/plain", "hello", true));
      corpus.add(new Attack("form content type to " + path, "POST", path, "application/x-www-form-urlencoded", "a=b", true));
    }
    String give = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"questionnaireResponse\",\"valueReference\":{\"reference\":\"%s\"}},"
        + "{\"name\":\"medium\",\"valueCode\":\"%s\"},{\"name\":\"practitioner\",\"valueReference\":{\"reference\":\"%s\"}}%s]}";
    String practitioner = "Practitioner/demo-practitioner";
    corpus.add(fhir("another patient's response", "POST", "/fhir/Encounter/demo-psa-enc/$give-education",
        give.formatted(QR + "/" + othersResponse, "print", practitioner, "")));
    corpus.add(fhir("a response that does not exist", "POST", "/fhir/Encounter/demo-psa-enc/$give-education",
        give.formatted(QR + "/no-such-response", "print", practitioner, "")));
    corpus.add(fhir("a practitioner that does not exist", "POST", "/fhir/Encounter/demo-cp-enc/$give-education",
        give.formatted(QR + "/" + othersResponse, "print", "Practitioner/nobody", "")));
    corpus.add(fhir("a Patient as practitioner", "POST", "/fhir/Encounter/demo-cp-enc/$give-education",
        give.formatted(QR + "/" + othersResponse, "print", "Patient/demo-cp", "")));
    corpus.add(fhir("an absolute URL as response", "POST", "/fhir/Encounter/demo-cp-enc/$give-education",
        give.formatted("http://evil.example/fhir/QuestionnaireResponse/1", "print", practitioner, "")));
    corpus.add(fhir("an unknown medium", "POST", "/fhir/Encounter/demo-cp-enc/$give-education",
        give.formatted(QR + "/" + othersResponse, "carrier-pigeon", practitioner, "")));
    corpus.add(fhir("an unknown acknowledgement", "POST", "/fhir/Encounter/demo-cp-enc/$give-education",
        give.formatted(QR + "/" + othersResponse, "print", practitioner,
            ",{\"name\":\"acknowledge\",\"valueString\":\"../../etc/passwd\"}")));
    corpus.add(fhir("an unknown language", "POST", "/fhir/Encounter/demo-cp-enc/$give-education",
        give.formatted(QR + "/" + othersResponse, "print", practitioner, ",{\"name\":\"language\",\"valueCode\":\"xx\"}")));
    corpus.add(fhir("an unknown handout", "POST", "/fhir/Encounter/demo-cp-enc/$give-education",
        give.formatted(QR + "/" + othersResponse, "print", practitioner, ",{\"name\":\"handout\",\"valueString\":\"../secrets\"}")));
    for (String encounter : List.of("no-such-encounter", "demo-unrelated-enc", "demo-error-enc", "a%27%20OR%201=1",
        "%3Cscript%3E")) {
      corpus.add(fhir("give on encounter " + encounter, "POST", "/fhir/Encounter/" + encounter + "/$give-education",
          give.formatted(QR + "/" + othersResponse, "print", practitioner, "")));
      if (encounter.startsWith("no-such") || encounter.startsWith("a%27")) {
        corpus.add(fhir("education of encounter " + encounter, "GET", "/fhir/Encounter/" + encounter + "/$education", null));
      }
      corpus.add(fhir("teach-back on encounter " + encounter, "POST", "/fhir/Encounter/" + encounter + "/$record-teach-back",
          "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"document\",\"valueReference\":{\"reference\":\"DocumentReference/1\"}},"
              + "{\"name\":\"result\",\"valueCode\":\"yes\"},{\"name\":\"practitioner\",\"valueReference\":{\"reference\":\"" + practitioner + "\"}}]}"));
    }
    // Issue 24: an encoded path separator is refused by Jetty (400, "ambiguous URI path") before
    // any FHIR code runs; under /fhir that refusal too carries an OperationOutcome.
    for (String operation : List.of("$give-education", "$education", "$record-teach-back", "$preview-education")) {
      corpus.add(new Attack("path traversal to " + operation, "POST", "/fhir/Encounter/..%2F..%2Fetc%2Fpasswd/" + operation,
          "application/fhir+json", "{\"resourceType\":\"Parameters\"}", true));
      corpus.add(new Attack("path traversal GET to " + operation, "GET", "/fhir/Encounter/..%2F..%2Fetc/" + operation,
          null, null, true));
    }
    for (String query : List.of("format=docx", "format=%3Cscript%3E", "format=../../etc/passwd", "format=pdf&format=html")) {
      corpus.add(fhir("render " + query, "GET", "/fhir/DocumentReference/no-such-document/$render?" + query, null));
    }
    corpus.add(fhir("render of a document that does not exist", "GET", "/fhir/DocumentReference/nope/$render?format=pdf", null));
    corpus.add(fhir("evaluate of a response that does not exist", "GET", "/fhir/QuestionnaireResponse/nope/$evaluate", null));
    corpus.add(fhir("populate of a questionnaire that does not exist", "POST", "/fhir/Questionnaire/nope/$populate",
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"subject\",\"valueReference\":{\"reference\":\"Patient/demo-cp\"}}]}"));
    corpus.add(fhir("populate for another patient's encounter", "POST", "/fhir/Questionnaire/" + questionnaireId() + "/$populate",
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"subject\",\"valueReference\":{\"reference\":\"Patient/demo-cp\"}},"
            + "{\"name\":\"context\",\"part\":[{\"name\":\"content\",\"valueReference\":{\"reference\":\"Encounter/demo-psa-enc\"}}]}]}"));
    corpus.add(fhir("populate without context", "POST", "/fhir/Questionnaire/" + questionnaireId() + "/$populate",
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"subject\",\"valueReference\":{\"reference\":\"Patient/demo-cp\"}}]}"));
    String response = "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"%s\",\"questionnaire\":\"%s\",\"item\":[%s]}";
    String url = Responses.QUESTIONNAIRE;
    corpus.add(fhir("evaluate another questionnaire", "POST", "/fhir/QuestionnaireResponse/$evaluate",
        response.formatted("completed", "http://evil.example/Questionnaire/x", "")));
    corpus.add(fhir("evaluate another version", "POST", "/fhir/QuestionnaireResponse/$evaluate",
        response.formatted("completed", url + "|0.0.1", "")));
    corpus.add(fhir("evaluate an in-progress response", "POST", "/fhir/QuestionnaireResponse/$evaluate",
        response.formatted("in-progress", url, "")));
    corpus.add(fhir("evaluate unknown linkIds", "POST", "/fhir/QuestionnaireResponse/$evaluate",
        response.formatted("completed", url, "{\"linkId\":\"'; DROP TABLE x;--\",\"answer\":[{\"valueString\":\"x\"}]}")));
    corpus.add(fhir("evaluate a string answer", "POST", "/fhir/QuestionnaireResponse/$evaluate",
        response.formatted("completed", url, "{\"linkId\":\"acute-infection\",\"answer\":[{\"valueString\":\"no\"}]}")));
    corpus.add(fhir("evaluate an answer outside the options", "POST", "/fhir/QuestionnaireResponse/$evaluate",
        response.formatted("completed", url, "{\"linkId\":\"acute-infection\",\"answer\":[{\"valueCoding\":{\"system\":\"x\",\"code\":\"maybe\"}}]}")));
    corpus.add(fhir("evaluate two answers", "POST", "/fhir/QuestionnaireResponse/$evaluate",
        response.formatted("completed", url, "{\"linkId\":\"acute-infection\",\"answer\":[{\"valueCoding\":{\"system\":\""
            + "http://terminology.hl7.org/CodeSystem/v2-0136\",\"code\":\"Y\"}},{\"valueCoding\":{\"system\":\""
            + "http://terminology.hl7.org/CodeSystem/v2-0136\",\"code\":\"N\"}}]}")));
    for (String service : List.of("prostate-education-encounter-start", "prostate-education-patient-view", "no-such-service",
        "..%2F..%2Fetc%2Fpasswd")) {
      corpus.add(new Attack("CDS call without a token to " + service, "POST", "/cds-services/" + service, "application/json",
          "{\"hook\":\"encounter-start\",\"context\":{\"patientId\":\"demo-cp\"}}", false));
      corpus.add(new Attack("CDS call with a forged token to " + service, "POST", "/cds-services/" + service,
          "application/json", "{}", false));
      corpus.add(new Attack("CDS feedback without a token to " + service, "POST", "/cds-services/" + service + "/feedback",
          "application/json", "{\"feedback\":[]}", false));
    }
    for (String query : List.of("", "mainSearchCriteria.v.c=N41.1&knowledgeResponseType=application/pdf",
        "mainSearchCriteria.v.c=N41.1&knowledgeResponseType=%3Cscript%3E")) {
      corpus.add(new Attack("infobutton " + query, "GET", "/infobutton?" + query, null, null, false));
    }
    for (String path : List.of("/handouts/..%2F..%2Fetc/passwd/1", "/handouts/prostate-massage/en/9.9.9",
        "/handouts/prostate-massage/xx/0.1.0", "/handouts/%3Cscript%3E/en/0.1.0", "/app/..%2F..%2Fetc%2Fpasswd",
        "/app/app.exe", "/app/%2e%2e%2flogback.xml", "/app/../logback.xml")) {
      corpus.add(new Attack("path " + path, "GET", path, null, null, false));
    }
    return corpus;
  }

  private static Attack fhir(String name, String method, String path, String body) {
    return new Attack(name, method, path, "application/fhir+json", body, true);
  }

  private String questionnaireId() {
    return http.search(org.hl7.fhir.r4.model.Questionnaire.class, "url=" + Responses.QUESTIONNAIRE)
        .get(0).getIdElement().getIdPart();
  }

  private HttpResponse<String> send(Attack attack) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + attack.path())).timeout(Duration.ofSeconds(60));
    if (attack.name().startsWith("CDS call with a forged token")) {
      request.header("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.");
    }
    if ("GET".equals(attack.method())) {
      request.GET();
    } else {
      request.POST(HttpRequest.BodyPublishers.ofString(attack.body() == null ? "" : attack.body(), StandardCharsets.UTF_8));
    }
    if (attack.contentType() != null) {
      request.header("Content-Type", attack.contentType());
    }
    request.header("Accept", "application/fhir+json");
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
