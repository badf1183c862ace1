package org.prostateed.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prostateed.cdshooks.json.CdsRequestJson;
import org.prostateed.cdshooks.json.CdsServiceJson;
import org.prostateed.cdshooks.json.PrefetchDeserializer;
import org.prostateed.content.CodeSet;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.PrefillRule;
import org.prostateed.content.Severity;
import org.prostateed.content.ShippedContent;
import org.prostateed.fhir.ChartJson;
import org.prostateed.fhir.FhirIds;
import org.prostateed.fhir.TaskAttachment;

/**
 * Prefetch is read keeping only the elements the hook reads ({@link PrefetchDeserializer}). SPEC
 * section 4: the hook "reads the chart from prefetch", so a skipped element must never change an
 * answer. Every chart below is answered twice, from the request read that way and from the same
 * request read whole by Jackson, and the cards must be the same. Each resource carries what real
 * prefetch carries and the hook does not read (narrative, meta, extensions, notes) to be skipped.
 */
class PrefetchReadingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T09:00:00Z"), ZoneOffset.UTC);
  private static final String PATIENT = "everything";

  private static ContentLibrary library;
  private static ContraindicationQuestionnaire questionnaire;
  private static EducationHooks hooks;

  @BeforeAll
  static void setUp() {
    library = ShippedContent.library();
    questionnaire = ShippedContent.questionnaire();
    hooks = new EducationHooks(FhirContext.forR4Cached(), library, JSON, "http://localhost/app/launch", null,
        (server, token) -> {
          throw new AssertionError("the charts here have complete prefetch; nothing is fetched");
        }, CLOCK);
  }

  @Test
  void everyChartGetsTheSameCardsAsFromTheWholeRequest() throws IOException {
    Set<String> answers = new HashSet<>();
    for (Chart chart : charts()) {
      for (Extra extra : Extra.values()) {
        for (String service : List.of(EducationHooks.ENCOUNTER_START, EducationHooks.PATIENT_VIEW)) {
          byte[] body = request(service, chart, extra);
          JsonNode sparse = answer(service, JSON.readValue(body, CdsRequestJson.class));
          JsonNode whole = answer(service, wholeRequest(body));
          assertThat(sparse).as("%s of %s with %s", service, chart.patientId, extra).isEqualTo(whole);
          sparse.path("cards").forEach(card -> answers.add(card.path("indicator").asText()
              + (card.path("suggestions").isEmpty() ? "" : " with a Task suggestion")));
          if (sparse.path("cards").isEmpty()) {
            answers.add("no card");
          }
        }
      }
    }
    // The charts reach every kind of answer, so every element the answers rest on was compared.
    assertThat(answers).contains("critical", "warning", "warning with a Task suggestion", "info",
        "info with a Task suggestion", "no card");
  }

  @Test
  void onlyTheElementsReadAreKept() throws IOException {
    Chart chart = everything();
    CdsRequestJson request = JSON.readValue(request(EducationHooks.ENCOUNTER_START, chart, Extra.ALL),
        CdsRequestJson.class);
    JsonNode conditions = request.prefetch().get("conditions");
    assertThat(names(conditions)).containsExactlyInAnyOrder("resourceType", "id", "entry");
    for (JsonNode entry : conditions.path("entry")) {
      assertThat(names(entry)).containsExactly("resource");
      assertThat(PrefetchDeserializer.ELEMENTS_READ).containsAll(names(entry.path("resource")));
      assertThat(names(entry.path("resource"))).doesNotContain("text", "meta", "extension", "note")
          .contains("code", "clinicalStatus", "verificationStatus");
      // A kept element is kept whole, its own text included.
      assertThat(entry.path("resource").path("code").path("text").asText()).isNotEmpty();
    }
    assertThat(names(request.prefetch().get("patient"))).containsExactlyInAnyOrder("resourceType", "id");
  }

  /**
   * A card's suggested Task is "authoredOn" the time of the call, read from the service's clock
   * like every other time the hook uses, so that a fixed clock fixes the whole answer.
   */
  @Test
  void theSuggestedTaskIsDatedByTheServiceClock() throws IOException {
    Chart chart = meeting(Severity.RELATIVE, 0);
    byte[] body = request(EducationHooks.ENCOUNTER_START, chart, Extra.NONE);
    JsonNode answer = answer(EducationHooks.ENCOUNTER_START, JSON.readValue(body, CdsRequestJson.class));
    JsonNode task = answer.path("cards").path(0).path("suggestions").path(0).path("actions").path(0).path("resource");
    assertThat(task.path("resourceType").asText()).isEqualTo("Task");
    assertThat(OffsetDateTime.parse(task.path("authoredOn").asText()).toInstant()).isEqualTo(CLOCK.instant());
  }

  @Test
  void aValueThatIsNoResourceIsStillRefused() throws IOException {
    for (String prefetch : List.of("\"conditions\": \"Condition?patient=1\"", "\"conditions\": [1, 2]",
        "\"conditions\": {\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": \"Condition/1\"}]}",
        "\"conditions\": {\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"id\": \"no-type\"}}]}")) {
      String body = "{\"hook\": \"patient-view\", \"context\": {\"patientId\": \"p1\"}, \"prefetch\": {" + prefetch + "}}";
      CdsRequestJson request = JSON.readValue(body, CdsRequestJson.class);
      assertThatThrownBy(() -> hooks.call(EducationHooks.PATIENT_VIEW, request))
          .as(prefetch).isInstanceOf(EducationHooks.BadHookRequest.class)
          .hasMessageContaining("prefetch 'conditions' is not a FHIR resource");
    }
  }

  // The charts: every demo patient, and one whose records meet every pre-fill rule of the questionnaire.

  /** A patient's records by resource type. */
  private record Chart(String patientId, String encounterId, Map<String, List<ObjectNode>> records) {}

  /** What the EHR already holds about the education, besides the chart. */
  private enum Extra { NONE, TASK, COMPLETED_CHECK, HANDOUT_GIVEN, ALL }

  private static List<Chart> charts() throws IOException {
    List<Chart> charts = new ArrayList<>(demoCharts());
    charts.add(everything());
    // With an absolute finding the card lists only the absolute ones; these charts show the others.
    for (int form = 0; form < 3; form++) {
      charts.add(meeting(Severity.RELATIVE, form));
    }
    return charts;
  }

  private static List<Chart> demoCharts() throws IOException {
    JsonNode bundle;
    try (InputStream in = PrefetchReadingTest.class.getClassLoader().getResourceAsStream("demo/demo-patients.json")) {
      bundle = JSON.readTree(in);
    }
    Map<String, Chart> charts = new LinkedHashMap<>();
    for (JsonNode entry : bundle.path("entry")) {
      ObjectNode resource = (ObjectNode) entry.path("resource");
      String type = resource.path("resourceType").asText();
      if ("Encounter".equals(type)) {
        String patientId = resource.path("subject").path("reference").asText().replace("Patient/", "");
        charts.put(patientId, new Chart(patientId, resource.path("id").asText(), new LinkedHashMap<>()));
      }
    }
    for (JsonNode entry : bundle.path("entry")) {
      ObjectNode resource = (ObjectNode) entry.path("resource");
      String owner = "Patient".equals(resource.path("resourceType").asText()) ? resource.path("id").asText()
          : resource.path(resource.has("subject") ? "subject" : "patient").path("reference").asText()
              .replace("Patient/", "");
      Chart chart = charts.get(owner);
      if (chart != null) {
        chart.records.computeIfAbsent(resource.path("resourceType").asText(), t -> new ArrayList<>()).add(resource);
      }
    }
    assertThat(charts).hasSizeGreaterThanOrEqualTo(8);
    return List.copyOf(charts.values());
  }

  /** A chart with a record that meets every pre-fill rule of the shipped questionnaire, read from the content. */
  private static Chart everything() {
    return meeting(null, 0);
  }

  /**
   * A chart with a record for each pre-fill rule of the items of one severity (null: of all items).
   * Records state their dates and medications in one of the three forms FHIR allows and the
   * mapping reads: form 0 (recordedDate, effectiveDateTime, a coded medication with authoredOn or
   * effectiveDateTime, performedDateTime), form 1 (onsetDateTime, effectivePeriod, medicationReference,
   * dateAsserted, performedPeriod) or form 2 (the Observation's issued).
   */
  private static Chart meeting(Severity severity, int form) {
    String patient = severity == null ? PATIENT : PATIENT + "-" + severity.code() + "-" + form;
    String encounterId = patient + "-enc";
    Map<String, List<ObjectNode>> records = new LinkedHashMap<>();
    records.computeIfAbsent("Patient", t -> new ArrayList<>()).add(resource("Patient", patient));
    ObjectNode encounter = resource("Encounter", encounterId);
    encounter.put("status", "in-progress");
    records.computeIfAbsent("Encounter", t -> new ArrayList<>()).add(encounter);
    CodeSet qualifying = library.codeSet(library.items().get(0).qualifying().get(0).valueSetUrl());
    ObjectNode diagnosis = condition("dx", qualifying.rules().get(0), 0);
    diagnosis.putObject("encounter").put("reference", "Encounter/" + encounterId);
    records.computeIfAbsent("Condition", t -> new ArrayList<>()).add(diagnosis);
    int n = 0;
    for (ContraindicationItem item : questionnaire.items()) {
      if (severity != null && item.severity() != severity) {
        continue;
      }
      for (PrefillRule rule : item.prefillRules()) {
        CodeSet set = library.codeSet(rule.valueSetUrl());
        CodeSet.Rule code = set.rules().get(0);
        String id = "r" + n++;
        switch (rule.source()) {
          case CONDITION -> records.computeIfAbsent("Condition", t -> new ArrayList<>()).add(condition(id, code, form));
          case OBSERVATION -> {
            ObjectNode observation = resource("Observation", id);
            observation.put("status", "final");
            concept(observation.putObject("code"), code);
            switch (form) {
              case 0 -> observation.put("effectiveDateTime", "2026-11-01T10:00:00Z");
              case 1 -> observation.putObject("effectivePeriod").put("start", "2026-11-02T10:00:00Z");
              default -> observation.put("issued", "2026-11-03T10:00:00Z");
            }
            observation.putObject("valueQuantity").put("value", 40.5).put("unit", "ng/mL").put("code", "ng/mL");
            records.computeIfAbsent("Observation", t -> new ArrayList<>()).add(observation);
          }
          case MEDICATION -> {
            // Form 0 matches by code; the others by an ingredient's name, which needs a rule with a display.
            CodeSet.Rule named = set.rules().stream().filter(r -> r.display() != null).findFirst().orElseThrow();
            ObjectNode request = resource("MedicationRequest", id);
            request.put("status", "active").put("authoredOn", "2026-10-02");
            if (form == 0) {
              concept(request.putObject("medicationCodeableConcept"), code);
            } else {
              request.putObject("medicationReference").put("reference", "Medication/m1")
                  .put("display", named.display() + " 5 mg tablet");
            }
            records.computeIfAbsent("MedicationRequest", t -> new ArrayList<>()).add(request);
            ObjectNode statement = resource("MedicationStatement", id + "s");
            statement.put("status", "active");
            statement.put(form == 0 ? "effectiveDateTime" : "dateAsserted", "2026-10-03");
            statement.putObject("medicationCodeableConcept").put("text", named.display());
            records.computeIfAbsent("MedicationStatement", t -> new ArrayList<>()).add(statement);
          }
          case ALLERGY -> {
            ObjectNode allergy = resource("AllergyIntolerance", id);
            allergy.putObject("clinicalStatus").putArray("coding").addObject().put("code", "active");
            allergy.putObject("verificationStatus").putArray("coding").addObject().put("code", "confirmed");
            concept(allergy.putObject("code"), code);
            allergy.put("recordedDate", "2020-01-01");
            records.computeIfAbsent("AllergyIntolerance", t -> new ArrayList<>()).add(allergy);
          }
          case PROCEDURE -> {
            ObjectNode procedure = resource("Procedure", id);
            procedure.put("status", "completed");
            if (form == 0) {
              procedure.put("performedDateTime", "2026-11-20");
            } else {
              procedure.putObject("performedPeriod").put("start", "2026-11-19").put("end", "2026-11-21");
            }
            concept(procedure.putObject("code"), code);
            records.computeIfAbsent("Procedure", t -> new ArrayList<>()).add(procedure);
          }
        }
      }
    }
    assertThat(n).as("pre-fill rules in the shipped questionnaire").isGreaterThan(severity == null ? 5 : 1);
    return new Chart(patient, encounterId, records);
  }

  private static ObjectNode condition(String id, CodeSet.Rule code, int form) {
    ObjectNode condition = resource("Condition", id);
    condition.putObject("clinicalStatus").putArray("coding").addObject()
        .put("system", "http://terminology.hl7.org/CodeSystem/condition-clinical").put("code", "active");
    condition.putObject("verificationStatus").putArray("coding").addObject()
        .put("system", "http://terminology.hl7.org/CodeSystem/condition-ver-status").put("code", "confirmed");
    concept(condition.putObject("code"), code);
    condition.put(form == 0 ? "recordedDate" : "onsetDateTime", "2026-10-01");
    return condition;
  }

  private static void concept(ObjectNode concept, CodeSet.Rule code) {
    concept.putArray("coding").addObject().put("system", code.system()).put("code", code.code())
        .put("display", code.display());
    concept.put("text", code.display() == null ? code.code() : code.display());
  }

  /** A resource with what real prefetch carries and the hook does not read. */
  private static ObjectNode resource(String type, String id) {
    ObjectNode resource = JSON.createObjectNode().put("resourceType", type).put("id", id);
    resource.putObject("meta").put("versionId", "3").putArray("tag").addObject().put("code", "x");
    resource.putObject("text").put("status", "generated")
        .put("div", "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" + type + " " + id + "</p></div>");
    ObjectNode extension = resource.putArray("extension").addObject().put("url", "http://example.org/x");
    extension.putObject("valueCodeableConcept").putArray("coding").addObject().put("code", "y");
    resource.putArray("note").addObject().put("text", "a note with \"quotes\" and \\ and é");
    return resource;
  }

  // The requests.

  private static byte[] request(String service, Chart chart, Extra extra) throws IOException {
    boolean encounterStart = EducationHooks.ENCOUNTER_START.equals(service);
    ObjectNode request = JSON.createObjectNode();
    request.put("hook", encounterStart ? "encounter-start" : "patient-view");
    request.put("hookInstance", "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea");
    ObjectNode context = request.putObject("context").put("userId", "Practitioner/p1").put("patientId", chart.patientId);
    if (encounterStart) {
      context.put("encounterId", chart.encounterId);
    }
    ObjectNode prefetch = request.putObject("prefetch");
    CdsServiceJson serviceJson = hooks.discovery().services().stream()
        .filter(s -> s.id().equals(service)).findFirst().orElseThrow();
    for (String key : serviceJson.prefetch().keySet()) {
      String type = serviceJson.prefetch().get(key).split("[/?]")[0];
      List<ObjectNode> records = new ArrayList<>(chart.records.getOrDefault(type, List.of()));
      records.addAll(extra(type, chart, extra));
      if (!serviceJson.prefetch().get(key).contains("?")) {
        prefetch.set(key, records.stream()
            .filter(r -> r.path("id").asText().equals("Patient".equals(type) ? chart.patientId : chart.encounterId))
            .findFirst().orElseThrow());
      } else {
        prefetch.set(key, searchset(records));
      }
    }
    return JSON.writeValueAsBytes(request);
  }

  private static List<ObjectNode> extra(String type, Chart chart, Extra extra) {
    boolean all = extra == Extra.ALL;
    String encounter = "Encounter/" + chart.encounterId;
    if ("Task".equals(type) && (all || extra == Extra.TASK)) {
      ObjectNode task = (ObjectNode) ChartJson.tree(TaskAttachment.newTask(chart.encounterId,
          "Patient/" + chart.patientId, library.items().get(0), questionnaire, questionnaire.url(), CLOCK.instant()));
      task.put("id", "task-" + chart.patientId);
      return List.of(task);
    }
    if ("QuestionnaireResponse".equals(type) && (all || extra == Extra.COMPLETED_CHECK)) {
      ObjectNode response = resource("QuestionnaireResponse", "qr-" + chart.patientId);
      response.put("status", "completed").put("questionnaire", questionnaire.url() + "|" + questionnaire.version());
      response.putObject("encounter").put("reference", encounter);
      return List.of(response);
    }
    if ("DocumentReference".equals(type) && (all || extra == Extra.HANDOUT_GIVEN)) {
      ObjectNode document = resource("DocumentReference", "doc-" + chart.patientId);
      document.put("status", "current");
      document.putArray("identifier").addObject().put("system", FhirIds.RELEASE_KEY).put("value", "k-" + chart.patientId);
      document.putObject("context").putArray("encounter").addObject().put("reference", encounter);
      return List.of(document);
    }
    return List.of();
  }

  private static ObjectNode searchset(List<ObjectNode> resources) {
    ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("id", "s1").put("type", "searchset");
    bundle.putObject("meta").put("lastUpdated", "2026-11-25T08:00:00Z");
    bundle.put("total", resources.size());
    bundle.putArray("link").addObject().put("relation", "self").put("url", "http://ehr.example/fhir/x");
    ArrayNode entries = bundle.putArray("entry");
    for (ObjectNode resource : resources) {
      ObjectNode entry = entries.addObject();
      entry.put("fullUrl", "http://ehr.example/fhir/" + resource.path("resourceType").asText() + "/"
          + resource.path("id").asText());
      entry.set("resource", resource);
      entry.putObject("search").put("mode", "match");
    }
    return bundle;
  }

  /** The same request with every prefetch value read whole, as Jackson reads any JSON tree. */
  private static CdsRequestJson wholeRequest(byte[] body) throws IOException {
    JsonNode tree = JSON.readTree(body);
    Map<String, JsonNode> context = new LinkedHashMap<>();
    tree.path("context").fields().forEachRemaining(e -> context.put(e.getKey(), e.getValue()));
    Map<String, JsonNode> prefetch = new LinkedHashMap<>();
    tree.path("prefetch").fields().forEachRemaining(e -> prefetch.put(e.getKey(), e.getValue()));
    return new CdsRequestJson(tree.path("hook").asText(), tree.path("hookInstance").asText(), null, null, context,
        prefetch);
  }

  /** The hook's answer without what differs from call to call: the random ids of cards and suggestions. */
  private static JsonNode answer(String service, CdsRequestJson request) {
    JsonNode answer = JSON.valueToTree(hooks.call(service, request));
    answer.path("cards").forEach(card -> {
      ((ObjectNode) card).remove("uuid");
      card.path("suggestions").forEach(suggestion -> ((ObjectNode) suggestion).remove("uuid"));
    });
    return answer;
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
