package org.prostateed.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.prostateed.cdshooks.json.CardJson;
import org.prostateed.cdshooks.json.CdsDiscoveryJson;
import org.prostateed.cdshooks.json.CdsRequestJson;
import org.prostateed.cdshooks.json.CdsResponseJson;
import org.prostateed.cdshooks.json.CdsServiceJson;
import org.prostateed.cdshooks.json.FeedbackJson;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;
import org.prostateed.content.PrefillRule;
import org.prostateed.content.Severity;
import org.prostateed.engine.ChartCondition;
import org.prostateed.engine.ChartEntry;
import org.prostateed.engine.ChartPrefill;
import org.prostateed.engine.ContraindicationCheck;
import org.prostateed.engine.Reason;
import org.prostateed.engine.Evidence;
import org.prostateed.engine.QualifyingDiagnosis;
import org.prostateed.engine.QualifyingDiagnosisFinder;
import org.prostateed.fhir.ChartJson;
import org.prostateed.fhir.FhirIds;
import org.prostateed.fhir.FhirStore;
import org.prostateed.fhir.ResponseReader;
import org.prostateed.fhir.TaskAttachment;

/**
 * The CDS Hooks services: {@code encounter-start} and {@code patient-view}. A call reads the chart
 * from prefetch (fetching what is missing from the EHR's {@code fhirServer} with the granted
 * token), and answers with at most one card: critical (an absolute contraindication recorded),
 * warning (relative ones recorded) or info (a qualifying diagnosis and no check yet); none when
 * nothing qualifies or the handout was already given.
 */
public final class EducationHooks {

  public static final String ENCOUNTER_START = "prostate-education-encounter-start";
  public static final String PATIENT_VIEW = "prostate-education-patient-view";
  private static final int SUMMARY_LIMIT = 140;
  /** The prefetch keys whose records pre-fill reads. */
  private static final List<String> CHART_KEYS =
      List.of("conditions", "observations", "medicationRequests", "medicationStatements", "allergies", "procedures");
  private static final Set<String> RESOURCE_TYPES = FhirContext.forR4Cached().getResourceTypes();

  /** The hook cannot be answered: prefetch lacks data and the EHR gave no way to fetch it (412). */
  public static final class PrefetchUnavailable extends RuntimeException {
    PrefetchUnavailable(String message) {
      super(message);
    }
  }

  /** The request is not a valid hook call for this service (400). */
  public static final class BadHookRequest extends RuntimeException {
    BadHookRequest(String message) {
      super(message);
    }
  }

  private final FhirContext fhirContext;
  private final ContentLibrary library;
  private final QualifyingDiagnosisFinder finder;
  private final ChartPrefill prefill;
  private final ResponseReader responses;
  private final ContraindicationCheck check = new ContraindicationCheck();
  private final ObjectMapper json;
  private final ObjectWriter appContexts;
  private final String appLaunchUrl;
  private final FhirStore ownStore;
  private final BiFunction<String, String, FhirStore> ehrStore;
  private final Clock clock;
  private final Map<String, String> encounterTemplates;
  private final Map<String, String> patientTemplates;
  /** Each education item's card source, by item id: the library does not change while it is served. */
  private final Map<String, CardJson.Source> sources;

  /**
   * @param appLaunchUrl the SMART launch URL of the clinician app that cards link to
   * @param ownStore where feedback is recorded
   * @param ehrStore opens the EHR's FHIR server (base URL, access token) for missing prefetch
   */
  public EducationHooks(FhirContext fhirContext, ContentLibrary library, ObjectMapper json, String appLaunchUrl,
      FhirStore ownStore, BiFunction<String, String, FhirStore> ehrStore, Clock clock) {
    this.fhirContext = fhirContext;
    this.library = library;
    this.finder = new QualifyingDiagnosisFinder(library);
    this.prefill = new ChartPrefill(library);
    this.responses = new ResponseReader(library);
    this.json = json;
    this.appContexts = json.writerFor(AppContext.class);
    this.appLaunchUrl = appLaunchUrl;
    this.ownStore = ownStore;
    this.ehrStore = ehrStore;
    this.clock = clock;
    this.encounterTemplates = prefetch(true);
    this.patientTemplates = prefetch(false);
    this.sources = library.items().stream().collect(Collectors.toUnmodifiableMap(EducationItem::id, this::source));
  }

  /** Discovery, sorted by id so that it is deterministic. */
  public CdsDiscoveryJson discovery() {
    return new CdsDiscoveryJson(List.of(
        new CdsServiceJson("encounter-start", "Prostate education check",
            "When an encounter with chronic prostatitis or BPH starts: whether the prostate massage handout may be"
                + " given, and a link to the contraindication check.",
            ENCOUNTER_START, encounterTemplates),
        new CdsServiceJson("patient-view", "Prostate education check",
            "When a patient with chronic prostatitis or BPH is opened: whether the prostate massage handout may be"
                + " given, and a link to the contraindication check.",
            PATIENT_VIEW, patientTemplates)).stream()
        .sorted(Comparator.comparing(CdsServiceJson::id)).toList());
  }

  public boolean knows(String serviceId) {
    return ENCOUNTER_START.equals(serviceId) || PATIENT_VIEW.equals(serviceId);
  }

  private Map<String, String> prefetch(boolean withEncounter) {
    Map<String, String> templates = new LinkedHashMap<>();
    templates.put("patient", "Patient/{{context.patientId}}");
    if (withEncounter) {
      templates.put("encounter", "Encounter/{{context.encounterId}}");
    }
    templates.put("conditions", "Condition?patient={{context.patientId}}");
    templates.put("observations", "Observation?patient={{context.patientId}}&code=" + codes(PrefillRule.Source.OBSERVATION));
    templates.put("medicationRequests", "MedicationRequest?patient={{context.patientId}}&status=active");
    templates.put("medicationStatements", "MedicationStatement?patient={{context.patientId}}&status=active");
    templates.put("allergies", "AllergyIntolerance?patient={{context.patientId}}");
    templates.put("procedures", "Procedure?patient={{context.patientId}}");
    templates.put("responses", "QuestionnaireResponse?subject={{context.patientId}}");
    templates.put("documents", "DocumentReference?patient={{context.patientId}}&identifier=" + FhirIds.RELEASE_KEY + "|");
    templates.put("tasks", "Task?patient={{context.patientId}}&identifier=" + FhirIds.TASK_KEY + "|");
    return templates;
  }

  /** The codes of every value set the questionnaire's rules of one source read, for a search. */
  private String codes(PrefillRule.Source source) {
    return library.questionnaires().stream()
        .flatMap(q -> q.items().stream())
        .flatMap(item -> item.prefillRules().stream())
        .filter(rule -> rule.source() == source)
        .map(rule -> library.codeSet(rule.valueSetUrl()))
        .flatMap(set -> set.rules().stream())
        .map(rule -> rule.system() + "|" + rule.code())
        .distinct()
        .collect(Collectors.joining(","));
  }

  public CdsResponseJson call(String serviceId, CdsRequestJson request) {
    boolean encounterStart = ENCOUNTER_START.equals(serviceId);
    String expectedHook = encounterStart ? "encounter-start" : "patient-view";
    if (request == null || !expectedHook.equals(request.hook())) {
      throw new BadHookRequest("this service answers the " + expectedHook + " hook");
    }
    String patientId = contextValue(request, "patientId")
        .orElseThrow(() -> new BadHookRequest("context.patientId is required"));
    Optional<String> encounterId = contextValue(request, "encounterId");
    if (encounterStart && encounterId.isEmpty()) {
      throw new BadHookRequest("context.encounterId is required for encounter-start");
    }
    Chart chart = new Chart(request, encounterStart ? encounterTemplates : patientTemplates, patientId,
        encounterId.orElse(null));

    List<JsonNode> conditions = chart.all("conditions", "Condition");
    List<ChartCondition> candidates;
    if (encounterStart) {
      JsonNode encounter = chart.all("encounter", "Encounter").stream().findFirst()
          .orElseThrow(() -> new PrefetchUnavailable("the encounter could not be read"));
      List<String> diagnosisRefs = new ArrayList<>();
      encounter.path("diagnosis").forEach(d -> diagnosisRefs.add(ChartJson.localReference(d.path("condition"))));
      String encounterRef = "Encounter/" + encounterId.get();
      candidates = new ArrayList<>();
      for (JsonNode condition : conditions) {
        if (encounterRef.equals(ChartJson.text(condition.path("encounter").path("reference")))
            || diagnosisRefs.contains(ChartJson.reference(condition))) {
          candidates.add(ChartJson.condition(condition));
        }
      }
    } else {
      candidates = new ArrayList<>();
      for (JsonNode condition : conditions) {
        candidates.add(ChartJson.condition(condition));
      }
    }
    List<QualifyingDiagnosis> diagnoses = finder.find(candidates);
    List<CardJson> cards = new ArrayList<>();
    for (EducationItem item : finder.items(diagnoses)) {
      if (alreadyGiven(chart, item, encounterId)) {
        continue;
      }
      card(item, chart, encounterId, patientId).ifPresent(cards::add);
    }
    return new CdsResponseJson(cards);
  }

  private boolean alreadyGiven(Chart chart, EducationItem item, Optional<String> encounterId) {
    return chart.all("documents", "DocumentReference").stream()
        .filter(d -> hasIdentifier(d, FhirIds.RELEASE_KEY, null))
        .filter(d -> !"entered-in-error".equals(ChartJson.text(d.path("status"))))
        .anyMatch(d -> encounterId.isEmpty() || ("Encounter/" + encounterId.get())
            .equals(ChartJson.text(d.path("context").path("encounter").path(0).path("reference"))));
  }

  private Optional<CardJson> card(EducationItem item, Chart chart, Optional<String> encounterId, String patientId) {
    ContraindicationQuestionnaire questionnaire = library.questionnaire(item.questionnaireUrl());
    List<JsonNode> records = new ArrayList<>();
    for (String key : CHART_KEYS) {
      records.addAll(chart.all(key, null));
    }
    List<ChartEntry> entries = ChartJson.entries(records);
    LocalDate today = LocalDate.now(clock);
    List<Finding> absolute = new ArrayList<>();
    List<Finding> relative = new ArrayList<>();
    for (ContraindicationItem question : questionnaire.items()) {
      List<Evidence> evidence = prefill.evidence(question, entries, today);
      if (!evidence.isEmpty() && question.severity() == Severity.ABSOLUTE) {
        absolute.add(new Finding(question, evidence));
      } else if (!evidence.isEmpty() && question.severity() == Severity.RELATIVE) {
        relative.add(new Finding(question, evidence));
      }
    }
    CardJson.Source source = sources.get(item.id());
    String handout = item.title().toLowerCase(java.util.Locale.ROOT) + " handout";
    if (!absolute.isEmpty()) {
      String found = absolute.stream().flatMap(finding -> finding.evidence().stream()).map(this::what).distinct()
          .collect(Collectors.joining(", "));
      return Optional.of(new CardJson(newUuid(),
          limit("Do not give the " + handout + ": " + found + " recorded"),
          detail(absolute, "The chart holds an absolute contraindication:"),
          "critical", source, List.of(), null,
          List.of(new CardJson.Coding(FhirIds.BASE + "CodeSystem/override-reason", "chart-incorrect",
                  "The chart entry is wrong or out of date"),
              new CardJson.Coding(FhirIds.BASE + "CodeSystem/override-reason", "clinician-reviewed",
                  "Reviewed with the patient; the handout is not being given")),
          List.of()));
    }
    List<JsonNode> completed = chart.all("responses", "QuestionnaireResponse").stream()
        .filter(r -> "completed".equals(ChartJson.text(r.path("status")))
            && r.path("questionnaire").asText("").startsWith(questionnaire.url())
            && encounterId.map(id -> ("Encounter/" + id).equals(ChartJson.text(r.path("encounter").path("reference"))))
                .orElse(true))
        .toList();
    List<Reason> toRuleOut = toRuleOut(completed);
    if (relative.isEmpty() && toRuleOut.isEmpty() && !completed.isEmpty()) {
      return Optional.empty();
    }
    String appContext = appContext(patientId, encounterId);
    List<CardJson.Link> links = List.of(new CardJson.Link("Open the contraindication check", appLaunchUrl, "smart",
        appContext));
    List<CardJson.Suggestion> suggestions = encounterId.isPresent() && !hasTask(chart, item, encounterId.get())
        ? List.of(new CardJson.Suggestion("Attach the contraindication check to this encounter",
            newUuid(), true, List.of(new CardJson.Action("create",
                "Create the questionnaire Task for this encounter", taskJson(item, questionnaire, encounterId.get(),
                    patientId)))))
        : List.of();
    if (!relative.isEmpty() || !toRuleOut.isEmpty()) {
      String summary = relative.isEmpty()
          ? "Before giving the " + handout + ": record how " + toRuleOut.stream().map(Reason::linkId)
              .collect(Collectors.joining(", ")) + " was ruled out today"
          : "Review before giving the " + handout + ": " + relative.stream().map(finding -> finding.item().linkId())
              .collect(Collectors.joining(", ")) + " in the chart";
      String detail = (relative.isEmpty() ? ""
          : detail(relative, "The chart holds relative contraindications; each needs the clinician's acknowledgement:"))
          + ruleOutDetail(toRuleOut);
      return Optional.of(new CardJson(newUuid(), limit(summary), detail,
          "warning", source, suggestions, suggestions.isEmpty() ? null : "at-most-one", List.of(), links));
    }
    return Optional.of(new CardJson(newUuid(),
        limit("Check before giving the " + handout + " (" + item.title() + ")"),
        "A qualifying diagnosis is recorded and the contraindication check has not been done yet.",
        "info", source, suggestions, suggestions.isEmpty() ? null : "at-most-one", List.of(), links));
  }

  /**
   * The absolute items answered "don't know" in the latest completed check of the encounter: the
   * handout is given only once the clinician records what was done today to rule each out. A
   * response the plugin cannot read (another questionnaire version, say) asks for nothing here:
   * the give refuses it with its reason.
   */
  private List<Reason> toRuleOut(List<JsonNode> completed) {
    Optional<JsonNode> latest = completed.stream()
        .max(Comparator.comparing((JsonNode r) -> r.path("authored").asText("")));
    if (latest.isEmpty()) {
      return List.of();
    }
    try {
      QuestionnaireResponse response = fhirContext.newJsonParser()
          .parseResource(QuestionnaireResponse.class, latest.get().toString());
      ResponseReader.ReadResponse read = responses.read(response);
      return check.decide(read.questionnaire(), read.answers()).reasons().stream()
          .filter(reason -> reason.needed() == Reason.Needed.RULE_OUT).toList();
    } catch (RuntimeException unreadable) {
      return List.of();
    }
  }

  private static String ruleOutDetail(List<Reason> toRuleOut) {
    if (toRuleOut.isEmpty()) {
      return "";
    }
    StringBuilder detail = new StringBuilder("\n\nThe patient answered \"don't know\" to absolute contraindications."
        + " Before the handout is given, record what was done today to rule out each:\n\n");
    for (Reason reason : toRuleOut) {
      detail.append("* **").append(reason.linkId()).append("**: ").append(reason.rationale()).append(" One of: ")
          .append(reason.ruleOutReasons().stream().map(Coded::display).collect(Collectors.joining("; ")))
          .append('\n');
    }
    return detail.toString();
  }

  /** A card's source: the item, its questionnaire's version and every version of its handout. */
  private CardJson.Source source(EducationItem item) {
    return new CardJson.Source(item.title() + " education, questionnaire "
        + library.questionnaire(item.questionnaireUrl()).version() + " (" + library.handouts().stream()
            .filter(h -> h.id().equals(item.handoutId()))
            .map(h -> h.language() + " " + h.version() + " " + h.status().code())
            .collect(Collectors.joining(", ")) + ")", null, null);
  }

  private String what(Evidence evidence) {
    return evidence.display() == null ? evidence.code() : evidence.display();
  }

  private static String detail(List<Finding> found, String heading) {
    StringBuilder detail = new StringBuilder(heading).append("\n\n");
    for (Finding finding : found) {
      ContraindicationItem item = finding.item();
      detail.append("* **").append(item.linkId()).append("** (").append(item.severity().code()).append("): ")
          .append(item.rationale()).append(" Chart: ");
      for (int i = 0; i < finding.evidence().size(); i++) {
        detail.append(i == 0 ? "" : "; ").append(finding.evidence().get(i).describe());
      }
      detail.append('\n');
    }
    return detail.toString();
  }

  /**
   * A random (version 4) UUID naming a card or a suggestion. A card's uuid only pairs feedback with
   * the card; it guards nothing, so it comes from the thread's own generator rather than
   * {@code UUID.randomUUID}'s SecureRandom, which all request threads share.
   */
  static String newUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  private static String limit(String summary) {
    return summary.length() < SUMMARY_LIMIT ? summary : summary.substring(0, SUMMARY_LIMIT - 2) + "…";
  }

  private boolean hasTask(Chart chart, EducationItem item, String encounterId) {
    String key = encounterId + "/" + item.id();
    return chart.all("tasks", "Task").stream().anyMatch(task -> hasIdentifier(task, FhirIds.TASK_KEY, key));
  }

  /** Whether the resource has an identifier in the system, with the value unless that is null. */
  private static boolean hasIdentifier(JsonNode resource, String system, String value) {
    for (JsonNode identifier : resource.path("identifier")) {
      if (system.equals(ChartJson.text(identifier.path("system")))
          && (value == null || value.equals(ChartJson.text(identifier.path("value"))))) {
        return true;
      }
    }
    return false;
  }

  private JsonNode taskJson(EducationItem item, ContraindicationQuestionnaire questionnaire, String encounterId,
      String patientId) {
    return ChartJson.tree(TaskAttachment.newTask(encounterId, "Patient/" + patientId, item, questionnaire,
        questionnaire.url(), clock.instant()));
  }

  private String appContext(String patientId, Optional<String> encounterId) {
    try {
      return appContexts.writeValueAsString(new AppContext(patientId, encounterId.orElse(null)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a card's SMART link hands the app. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"patientId", "encounterId"})
  private record AppContext(String patientId, String encounterId) {}

  /** A contraindication item the chart answers "yes", with the records that say so. */
  private record Finding(ContraindicationItem item, List<Evidence> evidence) {}

  /** Records each feedback item as an AuditEvent; returns how many. */
  public int feedback(String serviceId, FeedbackJson feedback) {
    if (feedback == null || feedback.feedback() == null || feedback.feedback().isEmpty()) {
      throw new BadHookRequest("feedback must list at least one card outcome");
    }
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (FeedbackJson.Item item : feedback.feedback()) {
      if (item.card() == null || !("accepted".equals(item.outcome()) || "overridden".equals(item.outcome()))) {
        throw new BadHookRequest("each feedback item needs a card uuid and an outcome of accepted or overridden");
      }
      AuditEvent audit = new AuditEvent();
      audit.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
      audit.addSubtype(new Coding(FhirIds.BASE + "CodeSystem/cds-feedback", item.outcome(), "CDS card " + item.outcome()));
      audit.setAction(AuditEvent.AuditEventAction.E);
      audit.setRecorded(Date.from(clock.instant()));
      audit.setOutcome(AuditEvent.AuditEventOutcome._0);
      StringBuilder description = new StringBuilder("card ").append(item.card()).append(' ').append(item.outcome());
      if (item.overrideReason() != null && item.overrideReason().reason() != null) {
        description.append(": ").append(item.overrideReason().reason().code());
      }
      audit.setOutcomeDesc(description.toString());
      audit.addAgent().setRequestor(true).setWho(new Reference().setDisplay("CDS client"));
      audit.getSource().setObserver(new Reference().setDisplay(FhirIds.PLUGIN_DEVICE_NAME + " " + serviceId));
      audit.addEntity().setName(item.card()).setDescription("CDS Hooks card");
      bundle.addEntry().setResource(audit).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
    }
    ownStore.transaction(bundle);
    return feedback.feedback().size();
  }

  private static Optional<String> contextValue(CdsRequestJson request, String name) {
    if (request.context() == null || request.context().get(name) == null || !request.context().get(name).isTextual()) {
      return Optional.empty();
    }
    String value = request.context().get(name).asText();
    return FhirIds.isId(value) ? Optional.of(value) : Optional.empty();
  }

  /**
   * The chart of one call: prefetch first, the EHR's FHIR server for what prefetch lacks. Prefetch
   * is read as the JSON tree Jackson made of the request, with no HAPI model in between.
   */
  private final class Chart {
    private final CdsRequestJson request;
    private final Map<String, String> templates;
    private final String patientId;
    private final String encounterId;
    private final Map<String, List<JsonNode>> read = new HashMap<>();
    private FhirStore ehr;

    Chart(CdsRequestJson request, Map<String, String> templates, String patientId, String encounterId) {
      this.request = request;
      this.templates = templates;
      this.patientId = patientId;
      this.encounterId = encounterId;
    }

    /** The resources under a prefetch key (a Bundle's entries), of one type or, with null, of any. */
    List<JsonNode> all(String key, String type) {
      List<JsonNode> resources = read.computeIfAbsent(key, this::resources);
      if (type == null) {
        return resources;
      }
      List<JsonNode> typed = new ArrayList<>(resources.size());
      for (JsonNode resource : resources) {
        if (type.equals(ChartJson.text(resource.path("resourceType")))) {
          typed.add(resource);
        }
      }
      return typed;
    }

    private List<JsonNode> resources(String key) {
      JsonNode value = request.prefetch() == null ? null : request.prefetch().get(key);
      if (value == null || value.isNull()) {
        return fetch(key);
      }
      String type = resourceType(key, value);
      if ("OperationOutcome".equals(type)) {
        return fetch(key);
      }
      if (!"Bundle".equals(type)) {
        return List.of(value);
      }
      List<JsonNode> entries = new ArrayList<>();
      for (JsonNode entry : value.path("entry")) {
        JsonNode resource = entry.get("resource");
        if (resource != null) {
          resourceType(key, resource);
          entries.add(resource);
        }
      }
      return entries;
    }

    /** The resource type of a prefetch value, which must be a FHIR R4 resource. */
    private String resourceType(String key, JsonNode value) {
      String type = value.isObject() ? ChartJson.text(value.path("resourceType")) : null;
      if (type == null || !RESOURCE_TYPES.contains(type)) {
        throw new BadHookRequest("prefetch '" + key + "' is not a FHIR resource");
      }
      return type;
    }

    private List<JsonNode> fetch(String key) {
      if (request.fhirServer() == null || request.fhirAuthorization() == null
          || request.fhirAuthorization().accessToken() == null) {
        throw new PrefetchUnavailable("prefetch '" + key + "' is missing and no fhirServer with fhirAuthorization was given");
      }
      if (ehr == null) {
        ehr = ehrStore.apply(request.fhirServer(), request.fhirAuthorization().accessToken());
      }
      String query = templates.get(key).replace("{{context.patientId}}", patientId)
          .replace("{{context.encounterId}}", encounterId == null ? "" : encounterId);
      try {
        int question = query.indexOf('?');
        if (question < 0) {
          String[] parts = query.split("/");
          return ehr.read(resourceClass(parts[0]), parts[1]).map(ChartJson::tree).stream().toList();
        }
        return ehr.search(resourceClass(query.substring(0, question)), encodeValues(query.substring(question + 1)))
            .stream().map(ChartJson::tree).toList();
      } catch (RuntimeException e) {
        throw new PrefetchUnavailable("'" + key + "' could not be fetched from the FHIR server");
      }
    }

    @SuppressWarnings("unchecked")
    private Class<? extends Resource> resourceClass(String name) {
      return (Class<? extends Resource>) fhirContext.getResourceDefinition(name).getImplementingClass();
    }

    private String encodeValues(String query) {
      return java.util.Arrays.stream(query.split("&")).map(pair -> {
        int eq = pair.indexOf('=');
        return pair.substring(0, eq + 1)
            + java.net.URLEncoder.encode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      }).collect(Collectors.joining("&"));
    }
  }
}
