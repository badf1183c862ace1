package org.prostateed.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.prostateed.cdshooks.EducationHooks;
import org.prostateed.cdshooks.json.CdsRequestJson;
import org.prostateed.cdshooks.json.CdsServiceJson;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.EducationItem;
import org.prostateed.fhir.TaskAttachment;

/**
 * Inputs of the hook benchmarks: an {@link EducationHooks} wired as the embedded server wires it,
 * except that both FHIR stores refuse every call, and two request bodies: the two requests
 * bench/LoadDriver.java sends over HTTP (same hooks, patients and prefetch keys), built here from
 * the demo data instead of read from a running server.
 *
 * <ul>
 *   <li>{@code fullPrefetchBody}: encounter-start for demo patient {@code demo-hemorrhoids}
 *       (chronic prostatitis on the encounter, haemorrhoids, long-term anticoagulants, warfarin),
 *       every prefetch key of the service's discovery answered from the demo data, including the
 *       questionnaire Task the demo server attaches at start-up. Expected: one warning card naming
 *       both relative contraindications, no Task suggestion.
 *   <li>{@code emptyChartBody}: patient-view for a patient with an empty chart (a Patient and an
 *       empty searchset for every other key), the load driver's no-op. Expected: no card.
 * </ul>
 *
 * Neither request names a {@code fhirServer}: a missing prefetch key would fail the call (412)
 * rather than fetch, so the setup check proves the measured path is in-process only.
 */
@State(Scope.Benchmark)
public class CdsHookState {

  static final String FULL_PATIENT = "demo-hemorrhoids";
  static final String FULL_ENCOUNTER = "demo-hemorrhoids-enc";
  static final String EMPTY_PATIENT = "bench-empty";

  final ObjectMapper json = new ObjectMapper();
  EducationHooks hooks;
  byte[] fullPrefetchBody;
  /** {@link #fullPrefetchBody} as read; a call reads it without changing it. */
  CdsRequestJson fullPrefetchRequest;
  byte[] emptyChartBody;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    FhirContext fhirContext = FhirContext.forR4Cached();
    ContentLibrary library = Fixtures.library();
    ThrowingFhirStore own = new ThrowingFhirStore("own store");
    hooks = new EducationHooks(fhirContext, library, json, "http://127.0.0.1:18080/app/launch", own,
        (fhirServer, token) -> new ThrowingFhirStore("EHR " + fhirServer), Fixtures.CLOCK);

    IParser parser = fhirContext.newJsonParser();
    DemoChart demo = new DemoChart(fhirContext);
    EducationItem item = Fixtures.item(library);
    Task attached = TaskAttachment.newTask(FULL_ENCOUNTER, "Patient/" + FULL_PATIENT, item,
        Fixtures.questionnaire(library), Fixtures.questionnaire(library).url(), Fixtures.CLOCK.instant());
    attached.setId("bench-task-" + FULL_ENCOUNTER);
    demo.add(attached);
    fullPrefetchBody = fullPrefetchRequest(parser, demo).getBytes(StandardCharsets.UTF_8);
    emptyChartBody = emptyChartRequest(parser).getBytes(StandardCharsets.UTF_8);
    fullPrefetchRequest = json.readValue(fullPrefetchBody, CdsRequestJson.class);

    checkFull(json.readTree(HotPaths.hook(this, EducationHooks.ENCOUNTER_START, fullPrefetchBody)));
    checkEmpty(json.readTree(HotPaths.hook(this, EducationHooks.PATIENT_VIEW, emptyChartBody)));
  }

  private Map<String, String> templates(String serviceId) {
    return hooks.discovery().services().stream()
        .filter(service -> service.id().equals(serviceId))
        .map(CdsServiceJson::prefetch)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("discovery lists no " + serviceId));
  }

  /** Every prefetch template of encounter-start, answered from the demo chart. */
  private String fullPrefetchRequest(IParser parser, DemoChart demo) throws IOException {
    ObjectNode prefetch = json.createObjectNode();
    templates(EducationHooks.ENCOUNTER_START).forEach((key, template) -> {
      String query = template.replace("{{context.patientId}}", FULL_PATIENT)
          .replace("{{context.encounterId}}", FULL_ENCOUNTER);
      int mark = query.indexOf('?');
      Resource answer;
      if (mark < 0) {
        String[] typeAndId = query.split("/");
        answer = demo.read(typeAndId[0], typeAndId[1])
            .orElseThrow(() -> new IllegalStateException("the demo data has no " + query));
      } else {
        // Search answers hold the patient's records of the type; the demo patient has no
        // inactive records, so the template's other criteria would not remove any.
        answer = DemoChart.searchset(demo.ofPatient(query.substring(0, mark), FULL_PATIENT));
      }
      prefetch.set(key, tree(parser.encodeResourceToString(answer)));
    });
    return request("encounter-start", FULL_PATIENT, FULL_ENCOUNTER, prefetch);
  }

  /** Patient-view for a patient with nothing in the chart. */
  private String emptyChartRequest(IParser parser) throws IOException {
    ObjectNode prefetch = json.createObjectNode();
    templates(EducationHooks.PATIENT_VIEW).forEach((key, template) -> {
      Resource answer = template.contains("?")
          ? DemoChart.searchset(List.of())
          : (Resource) new Patient().setId(EMPTY_PATIENT);
      prefetch.set(key, tree(parser.encodeResourceToString(answer)));
    });
    return request("patient-view", EMPTY_PATIENT, null, prefetch);
  }

  private String request(String hook, String patientId, String encounterId, ObjectNode prefetch) throws IOException {
    ObjectNode request = json.createObjectNode();
    request.put("hook", hook);
    request.put("hookInstance", UUID.randomUUID().toString());
    ObjectNode context = request.putObject("context");
    context.put("userId", "Practitioner/demo-practitioner");
    context.put("patientId", patientId);
    if (encounterId != null) {
      context.put("encounterId", encounterId);
    }
    request.set("prefetch", prefetch);
    return json.writeValueAsString(request);
  }

  private JsonNode tree(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void checkFull(JsonNode response) {
    JsonNode cards = response.path("cards");
    JsonNode card = cards.path(0);
    String summary = card.path("summary").asText("");
    if (cards.size() != 1 || !"warning".equals(card.path("indicator").asText())
        || !summary.contains("anorectal-disease") || !summary.contains("bleeding-risk")
        || card.has("suggestions")) {
      throw new IllegalStateException("cdsHookFullPrefetch: expected one warning card for anorectal-disease and"
          + " bleeding-risk without a Task suggestion, got " + response);
    }
  }

  private static void checkEmpty(JsonNode response) {
    if (!response.path("cards").isArray() || response.path("cards").size() != 0) {
      throw new IllegalStateException("cdsHookEmptyChart: expected no card, got " + response);
    }
  }
}
