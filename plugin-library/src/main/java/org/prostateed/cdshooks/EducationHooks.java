package org.prostateed.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Task;
import org.prostateed.cdshooks.json.CardJson;
import org.prostateed.cdshooks.json.CdsDiscoveryJson;
import org.prostateed.cdshooks.json.CdsRequestJson;
import org.prostateed.cdshooks.json.CdsResponseJson;
import org.prostateed.cdshooks.json.CdsServiceJson;
import org.prostateed.cdshooks.json.FeedbackJson;
import org.prostateed.chart.ChartQueries;
import org.prostateed.chart.ChartRecords;
import org.prostateed.chart.ChartSearch;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;
import org.prostateed.engine.ChartCondition;
import org.prostateed.engine.ChartEntry;
import org.prostateed.engine.QualifyingDiagnosisFinder;
import org.prostateed.fhir.AuditEvents;
import org.prostateed.fhir.FhirIds;
import org.prostateed.fhir.FhirStore;

/**
 * The CDS Hooks services: {@code encounter-start} and {@code patient-view}. A call reads the chart
 * by the narrow searches the content needs ({@link ChartQueries}): from prefetch, fetching what is
 * missing from the EHR's {@code fhirServer} with the granted token ({@link HookChart}), and answers
 * with at most one card per education item ({@link EducationCards}). Owns the threads that fetch
 * missing prefetch side by side; {@link #close} stops them.
 */
public final class EducationHooks implements AutoCloseable {

  public static final String ENCOUNTER_START = "prostate-education-encounter-start";
  public static final String PATIENT_VIEW = "prostate-education-patient-view";
  /** Missing prefetch keys fetched at once per call, and by all calls together. */
  private static final int FETCH_THREADS = 6;

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
  private final QualifyingDiagnosisFinder finder;
  private final EducationCards cards;
  private final FhirStore ownStore;
  private final BiFunction<String, String, FhirStore> ehrStore;
  private final Clock clock;
  private final List<HookChart.Key> encounterKeys;
  private final List<HookChart.Key> patientKeys;
  private final List<String> chartKeys;
  private final ExecutorService fetches;
  private final ContentLibrary library;
  /** Every reason a card of any item offers for an override. */
  private final List<CardJson.Coding> overrideReasons;

  /**
   * @param appLaunchUrl the SMART launch URL of the clinician app that cards link to
   * @param ownStore where feedback is recorded
   * @param ehrStore opens the EHR's FHIR server (base URL, access token) for missing prefetch
   */
  public EducationHooks(FhirContext fhirContext, ContentLibrary library, ObjectMapper json, String appLaunchUrl,
      FhirStore ownStore, BiFunction<String, String, FhirStore> ehrStore, Clock clock) {
    this.fhirContext = fhirContext;
    this.finder = new QualifyingDiagnosisFinder(library);
    this.cards = new EducationCards(fhirContext, library, json, appLaunchUrl, clock);
    this.library = library;
    this.overrideReasons = library.items().stream().flatMap(item -> cards.overrideReasons(item).stream()).toList();
    this.ownStore = ownStore;
    this.ehrStore = ehrStore;
    this.clock = clock;
    ChartQueries queries = new ChartQueries(library);
    this.chartKeys = queries.all().stream().map(ChartSearch::key).toList();
    this.patientKeys = keys(library, queries, false);
    this.encounterKeys = keys(library, queries, true);
    AtomicInteger threads = new AtomicInteger();
    this.fetches = Executors.newFixedThreadPool(FETCH_THREADS, work -> {
      Thread thread = new Thread(work, "cds-prefetch-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** What a call reads: the encounter, the chart searches, the checks done, handouts given and Tasks. */
  private static List<HookChart.Key> keys(ContentLibrary library, ChartQueries queries, boolean withEncounter) {
    List<HookChart.Key> keys = new ArrayList<>();
    if (withEncounter) {
      keys.add(HookChart.Key.read("encounter", "Encounter", ChartSearch.ENCOUNTER));
    }
    queries.all().forEach(search -> keys.add(HookChart.Key.search(search)));
    String questionnaires = library.questionnaires().stream().map(ContraindicationQuestionnaire::url).distinct()
        .collect(Collectors.joining(","));
    keys.add(HookChart.Key.search(new ChartSearch("responses", QuestionnaireResponse.class, List.of(
        ChartSearch.Param.of("subject", "Patient/" + ChartSearch.PATIENT), ChartSearch.Param.of("status", "completed"),
        ChartSearch.Param.of("questionnaire", questionnaires)), false)));
    keys.add(HookChart.Key.search(new ChartSearch("documents", DocumentReference.class, List.of(
        ChartSearch.Param.of("patient", ChartSearch.PATIENT),
        ChartSearch.Param.of("identifier", FhirIds.RELEASE_KEY + "|")), false)));
    keys.add(HookChart.Key.search(new ChartSearch("tasks", Task.class, List.of(
        ChartSearch.Param.of("patient", ChartSearch.PATIENT), ChartSearch.Param.of("identifier", FhirIds.TASK_KEY + "|")),
        false)));
    return List.copyOf(keys);
  }

  private static Map<String, String> templates(List<HookChart.Key> keys) {
    Map<String, String> templates = new LinkedHashMap<>();
    keys.forEach(key -> templates.put(key.name(), key.template()));
    return templates;
  }

  /**
   * What an EHR must do before it calls (CDS Hooks 2.0 {@code usageRequirements}): be in the trust
   * file, and let the service read what its prefetch names.
   */
  private static String usageRequirements(List<HookChart.Key> keys) {
    String types = keys.stream().map(key -> key.template().split("[?/]", 2)[0]).distinct().sorted()
        .collect(Collectors.joining(", "));
    return "The EHR's JWT issuer and keys must be in the service's trust file. Send the prefetch listed, or a"
        + " fhirServer and fhirAuthorization that may read, for the patient in context: " + types + ".";
  }

  @Override
  public void close() {
    fetches.shutdownNow();
  }

  /** Discovery, sorted by id so that it is deterministic. */
  public CdsDiscoveryJson discovery() {
    return new CdsDiscoveryJson(List.of(
        new CdsServiceJson("encounter-start", "Prostate education check",
            "When an encounter with chronic prostatitis or BPH starts: whether the prostate massage handout may be"
                + " given, and a link to the contraindication check.",
            ENCOUNTER_START, templates(encounterKeys), usageRequirements(encounterKeys)),
        new CdsServiceJson("patient-view", "Prostate education check",
            "When a patient with chronic prostatitis or BPH is opened: whether the prostate massage handout may be"
                + " given, and a link to the contraindication check.",
            PATIENT_VIEW, templates(patientKeys), usageRequirements(patientKeys))).stream()
        .sorted(Comparator.comparing(CdsServiceJson::id)).toList());
  }

  public boolean knows(String serviceId) {
    return ENCOUNTER_START.equals(serviceId) || PATIENT_VIEW.equals(serviceId);
  }

  /** A call from a client that gets the Task as a card suggestion. */
  public CdsResponseJson call(String serviceId, CdsRequestJson request) {
    return call(serviceId, request, false);
  }

  /**
   * @param systemActions the client applies system actions: the Task a card would suggest is
   *     returned as a system action instead, and the card carries no suggestion
   */
  public CdsResponseJson call(String serviceId, CdsRequestJson request, boolean systemActions) {
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
    HookChart chart = HookChart.read(fhirContext, request, encounterStart ? encounterKeys : patientKeys, patientId,
        encounterId.orElse(null), ehrStore, fetches);
    List<Condition> conditions = chart.all("conditions", Condition.class);
    List<ChartCondition> candidates;
    if (encounterStart) {
      Encounter encounter = chart.all("encounter", Encounter.class).stream().findFirst()
          .orElseThrow(() -> new PrefetchUnavailable("the encounter could not be read"));
      candidates = ChartRecords.linkedTo(encounter, conditions);
    } else {
      candidates = ChartRecords.ofPatient(conditions, "Patient/" + patientId).stream()
          .map(ChartRecords::condition).toList();
    }
    List<ChartEntry> entries = ChartRecords.entries(chart.all(chartKeys));
    List<CardJson> found = new ArrayList<>();
    List<CardJson.Action> actions = new ArrayList<>();
    for (EducationItem item : finder.items(finder.find(candidates))) {
      Optional<CardJson> card = cards.card(item, new EducationCards.Seen(entries,
          chart.all("responses", QuestionnaireResponse.class), chart.all("documents", DocumentReference.class),
          chart.all("tasks", Task.class), chart.complete()), encounterId, patientId);
      if (card.isPresent() && systemActions) {
        card.get().suggestions().forEach(suggestion -> actions.addAll(suggestion.actions()));
        card = card.map(CardJson::withoutSuggestions);
      }
      card.ifPresent(found::add);
    }
    return new CdsResponseJson(found, actions);
  }

  /**
   * Records each feedback item as an AuditEvent, with its override reason and the user's comment;
   * returns how many. An override reason that no card offers is refused, and nothing is recorded.
   */
  public int feedback(String serviceId, FeedbackJson feedback) {
    if (feedback == null || feedback.feedback() == null || feedback.feedback().isEmpty()) {
      throw new BadHookRequest("feedback must list at least one card outcome");
    }
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Date now = Date.from(clock.instant());
    for (FeedbackJson.Item item : feedback.feedback()) {
      if (item.card() == null || !("accepted".equals(item.outcome()) || "overridden".equals(item.outcome()))) {
        throw new BadHookRequest("each feedback item needs a card uuid and an outcome of accepted or overridden");
      }
      CardJson.Coding reason = item.overrideReason() == null ? null : item.overrideReason().reason();
      String comment = item.overrideReason() == null ? null : item.overrideReason().userComment();
      if (reason != null && overrideReasons.stream().noneMatch(offered -> offered.system().equals(reason.system())
          && offered.code().equals(reason.code()))) {
        throw new BadHookRequest("overrideReason " + reason.system() + "|" + reason.code() + " is not one of the"
            + " reasons the cards offer (" + library.items().stream().map(EducationItem::overrideReasons).distinct()
            .collect(Collectors.joining(", ")) + ")");
      }
      bundle.addEntry().setResource(AuditEvents.cardFeedback(now, serviceId, item.card(), item.outcome(),
              reason == null ? null : new Coding(reason.system(), reason.code(), offeredDisplay(reason)), comment))
          .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
    }
    ownStore.transaction(bundle);
    return feedback.feedback().size();
  }

  private String offeredDisplay(CardJson.Coding reason) {
    return overrideReasons.stream().filter(offered -> offered.code().equals(reason.code())
        && offered.system().equals(reason.system())).map(CardJson.Coding::display).findFirst().orElse(null);
  }

  private static Optional<String> contextValue(CdsRequestJson request, String name) {
    if (request.context() == null || request.context().get(name) == null || !request.context().get(name).isTextual()) {
      return Optional.empty();
    }
    String value = request.context().get(name).asText();
    return FhirIds.isId(value) ? Optional.of(value) : Optional.empty();
  }
}
