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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prostateed.cdshooks.json.CdsRequestJson;
import org.prostateed.cdshooks.json.CdsServiceJson;
import org.prostateed.content.CodeSet;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.PrefillRule;
import org.prostateed.content.Severity;
import org.prostateed.content.ShippedContent;
import org.prostateed.chart.ChartIssues;
import org.prostateed.fhir.FhirStore;
import org.prostateed.fhir.FhirIds;
import org.prostateed.fhir.TaskAttachment;

/**
 * How the hook reads a chart. docs/api.md, CDS Hooks: the hook reads the chart from prefetch, fetching
 * what is missing from the EHR with the granted token; issue 23: by the narrowest searches the
 * content needs, never the whole chart. Every chart below is answered twice, from full prefetch
 * and from none (each key fetched from a recording EHR), and the cards must be the same; every
 * search the hook made is checked for the parameters that keep it narrow.
 */
class HookReadingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T09:00:00Z"), ZoneOffset.UTC);
  private static final String PATIENT = "everything";
  private static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";

  private static ContentLibrary library;
  private static ContraindicationQuestionnaire questionnaire;
  private static EducationHooks hooks;

  @BeforeAll
  static void setUp() {
    library = ShippedContent.library();
    questionnaire = ShippedContent.questionnaire();
    hooks = new EducationHooks(FHIR, library, JSON, "http://localhost/app/launch", null,
        (server, token) -> {
          throw new AssertionError("this chart has complete prefetch; nothing is fetched");
        }, CLOCK);
  }

  @AfterAll
  static void tearDown() {
    hooks.close();
  }

  @Test
  void everyChartGetsTheSameCardsFromPrefetchAsFetchedByNarrowSearches() throws IOException {
    Set<String> answers = new HashSet<>();
    for (Chart chart : charts()) {
      for (Extra extra : Extra.values()) {
        for (String service : List.of(EducationHooks.ENCOUNTER_START, EducationHooks.PATIENT_VIEW)) {
          byte[] body = request(service, chart, extra);
          JsonNode fromPrefetch = answer(hooks, service, JSON.readValue(body, CdsRequestJson.class));
          RecordingEhr ehr = new RecordingEhr(chart, extra);
          JsonNode fetched;
          try (EducationHooks fetching = new EducationHooks(FHIR, library, JSON, "http://localhost/app/launch", null,
              (server, token) -> ehr, CLOCK)) {
            fetched = answer(fetching, service, withoutPrefetch(body));
          }
          assertThat(fetched).as("%s of %s with %s", service, chart.patientId, extra).isEqualTo(fromPrefetch);
          ehr.searches.forEach(HookReadingTest::assertNarrow);
          assertThat(ehr.searches).extracting(search -> search.type)
              .as("one search per chart kind, and the checks, handouts and Tasks")
              .containsExactlyInAnyOrder("Condition", "Observation", "MedicationRequest", "MedicationStatement",
                  "AllergyIntolerance", "Procedure", "QuestionnaireResponse", "DocumentReference", "Task");
          fromPrefetch.path("cards").forEach(card -> answers.add(card.path("indicator").asText()
              + (card.path("suggestions").isEmpty() ? "" : " with a Task suggestion")));
          if (fromPrefetch.path("cards").isEmpty()) {
            answers.add("no card");
          }
        }
      }
    }
    // The charts reach every kind of answer, so every record the answers rest on was compared.
    assertThat(answers).contains("critical", "warning", "warning with a Task suggestion", "info",
        "info with a Task suggestion", "no card");
  }

  /**
   * The rule of issue 23: a search names its patient, and a search of coded records names the codes
   * the content reads (observations also only final ones, newest first, one); medicines are read
   * by status, since their rules also match ingredient names.
   */
  private static void assertNarrow(Search search) {
    Map<String, String> params = search.params;
    assertThat(params.containsKey("patient") || params.containsKey("subject")).as(search.toString()).isTrue();
    switch (search.type) {
      case "Condition", "AllergyIntolerance", "Procedure" ->
          assertThat(params.get("code")).as(search.toString()).isNotBlank();
      case "Observation" -> {
        assertThat(params.get("code")).as(search.toString()).isNotBlank();
        assertThat(params).as(search.toString()).containsEntry("_sort", "-date").containsEntry("_count", "1")
            .containsKey("status");
      }
      case "MedicationRequest", "MedicationStatement" -> assertThat(params.get("status")).as(search.toString())
          .startsWith("active");
      case "QuestionnaireResponse" -> assertThat(params.get("questionnaire")).as(search.toString())
          .isEqualTo(questionnaire.url());
      case "DocumentReference" -> assertThat(params.get("identifier")).isEqualTo(FhirIds.RELEASE_KEY + "|");
      case "Task" -> assertThat(params.get("identifier")).isEqualTo(FhirIds.TASK_KEY + "|");
      default -> throw new AssertionError("the hook searched " + search);
    }
  }

  @Test
  void theConditionSearchNamesEveryCodeBelowTheContentsIsARules() {
    String template = hooks.discovery().services().get(0).prefetch().get("conditions");
    assertThat(template.length()).as("inside the 8 KB URL many servers allow").isLessThan(6000);
    List<String> conditions = List.of(template.substring(template.indexOf("code=") + "code=".length()).split(","));
    for (CodeSet set : library.codeSets()) {
      for (CodeSet.Rule code : set.expansion()) {
        if (set.rules().stream().noneMatch(rule -> rule.system().equals(ICD))) {
          continue;
        }
        boolean readAsCondition = questionnaire.items().stream().flatMap(item -> item.prefillRules().stream())
            .anyMatch(rule -> rule.valueSetUrl().equals(set.url())
                && rule.source().records() == PrefillRule.Record.CONDITION)
            || library.items().stream().flatMap(item -> item.qualifying().stream())
                .anyMatch(qualifying -> qualifying.valueSetUrl().equals(set.url()));
        if (readAsCondition) {
          assertThat(conditions).as(set.url()).contains(code.code());
        }
      }
    }
    // A 7th-character injury code is a code of its own to an exact search.
    assertThat(conditions).contains("S14.111A", "S24.101S");
  }

  @Test
  void aPrefetchBundleWithFurtherPagesMakesTheCardSaySoTheChartWasNotReadWhole() throws IOException {
    Chart chart = meeting(Severity.RELATIVE, 0);
    ObjectNode request = (ObjectNode) JSON.readTree(request(EducationHooks.ENCOUNTER_START, chart, Extra.NONE));
    JsonNode whole = answer(hooks, EducationHooks.ENCOUNTER_START, JSON.treeToValue(request, CdsRequestJson.class));
    assertThat(whole.path("cards").path(0).path("detail").asText()).doesNotContain(ChartIssues.INCOMPLETE);

    ((ArrayNode) request.path("prefetch").path("procedures").path("link")).addObject().put("relation", "next")
        .put("url", "http://ehr.example/fhir?_getpages=x");
    JsonNode paged = answer(hooks, EducationHooks.ENCOUNTER_START, JSON.treeToValue(request, CdsRequestJson.class));
    assertThat(paged.path("cards").path(0).path("detail").asText()).contains(ChartIssues.INCOMPLETE);
  }

  /**
   * A card's suggested Task is "authoredOn" the time of the call, read from the service's clock
   * like every other time the hook uses, so that a fixed clock fixes the whole answer.
   */
  @Test
  void theSuggestedTaskIsDatedByTheServiceClock() throws IOException {
    Chart chart = meeting(Severity.RELATIVE, 0);
    byte[] body = request(EducationHooks.ENCOUNTER_START, chart, Extra.NONE);
    JsonNode answer = answer(hooks, EducationHooks.ENCOUNTER_START, JSON.readValue(body, CdsRequestJson.class));
    JsonNode task = answer.path("cards").path(0).path("suggestions").path(0).path("actions").path(0).path("resource");
    assertThat(task.path("resourceType").asText()).isEqualTo("Task");
    assertThat(OffsetDateTime.parse(task.path("authoredOn").asText()).toInstant()).isEqualTo(CLOCK.instant());
  }

  @Test
  void aValueThatIsNoResourceIsRefused() throws IOException {
    for (String prefetch : List.of("\"conditions\": \"Condition?patient=1\"", "\"conditions\": [1, 2]",
        "\"conditions\": {\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": \"Condition/1\"}]}",
        "\"conditions\": {\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"id\": \"no-type\"}}]}",
        "\"conditions\": {\"resourceType\": \"NoSuchType\"}")) {
      String body = "{\"hook\": \"patient-view\", \"context\": {\"patientId\": \"p1\"}, \"prefetch\": {" + prefetch + "}}";
      CdsRequestJson request = JSON.readValue(body, CdsRequestJson.class);
      assertThatThrownBy(() -> hooks.call(EducationHooks.PATIENT_VIEW, request))
          .as(prefetch).isInstanceOf(EducationHooks.BadHookRequest.class)
          .hasMessage("prefetch 'conditions' is not a FHIR resource");
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
    try (InputStream in = HookReadingTest.class.getClassLoader().getResourceAsStream("demo/demo-patients.json")) {
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
    // Every record names its patient, as FHIR requires; the hook reads no other patient's record.
    records.forEach((type, list) -> list.stream().filter(record -> !"Patient".equals(type)).forEach(record ->
        record.putObject("AllergyIntolerance".equals(type) ? "patient" : "subject")
            .put("reference", "Patient/" + patient)));
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
      ObjectNode task = (ObjectNode) tree(TaskAttachment.newTask(chart.encounterId,
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

  /** The same request without prefetch, with an EHR to fetch from. */
  private static CdsRequestJson withoutPrefetch(byte[] body) throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(body);
    tree.remove("prefetch");
    tree.put("fhirServer", "http://ehr.example/fhir");
    tree.putObject("fhirAuthorization").put("access_token", "t").put("token_type", "Bearer");
    return JSON.treeToValue(tree, CdsRequestJson.class);
  }

  /** The hook's answer without what differs from call to call: the random ids of cards and suggestions. */
  private static JsonNode answer(EducationHooks service, String serviceId, CdsRequestJson request) {
    JsonNode answer = JSON.valueToTree(service.call(serviceId, request));
    answer.path("cards").forEach(card -> {
      ((ObjectNode) card).remove("uuid");
      card.path("suggestions").forEach(suggestion -> ((ObjectNode) suggestion).remove("uuid"));
    });
    return answer;
  }

  private static JsonNode tree(Resource resource) {
    try {
      return JSON.readTree(FHIR.newJsonParser().encodeResourceToString(resource));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One search the hook made: its resource type and decoded parameters. */
  private record Search(String type, Map<String, String> params) {
    @Override
    public String toString() {
      return type + "?" + params.keySet();
    }
  }

  /**
   * An EHR that serves a chart, records each search, and answers it with every record of the type
   * (what the search names is checked by {@link #assertNarrow}, not filtered here).
   */
  private static final class RecordingEhr implements FhirStore {
    private final Map<String, List<ObjectNode>> records = new LinkedHashMap<>();
    private final List<Search> searches = new java.util.concurrent.CopyOnWriteArrayList<>();

    RecordingEhr(Chart chart, Extra extra) {
      chart.records.forEach((type, list) -> records.put(type, new ArrayList<>(list)));
      for (String type : List.of("Task", "QuestionnaireResponse", "DocumentReference")) {
        records.computeIfAbsent(type, t -> new ArrayList<>()).addAll(extra(type, chart, extra));
      }
    }

    @Override
    public <T extends Resource> Optional<T> read(Class<T> type, String id) {
      return parsed(type).stream().filter(r -> r.getIdElement().getIdPart().equals(id)).findFirst();
    }

    @Override
    public <T extends Resource> Found<T> find(Class<T> type, String query) {
      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        assertThat(params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8))).as(query).isNull();
      }
      searches.add(new Search(type.getSimpleName(), params));
      return new Found<>(parsed(type), true);
    }

    private <T extends Resource> List<T> parsed(Class<T> type) {
      return records.getOrDefault(type.getSimpleName(), List.of()).stream()
          .map(node -> FHIR.newJsonParser().parseResource(type, node.toString())).toList();
    }

    @Override
    public Bundle transaction(Bundle bundle) {
      throw new AssertionError("the hook writes nothing to the EHR");
    }
  }
}
