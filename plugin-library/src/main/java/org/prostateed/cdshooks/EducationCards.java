package org.prostateed.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.prostateed.cdshooks.json.CardJson;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;
import org.prostateed.content.Severity;
import org.prostateed.engine.ChartEntry;
import org.prostateed.engine.ChartPrefill;
import org.prostateed.engine.ContraindicationCheck;
import org.prostateed.engine.Evidence;
import org.prostateed.engine.Reason;
import org.prostateed.chart.ChartIssues;
import org.prostateed.fhir.FhirIds;
import org.prostateed.fhir.ResponseReader;
import org.prostateed.fhir.TaskAttachment;

/**
 * The card for one education item: critical (an absolute contraindication recorded), warning
 * (relative ones recorded, or "don't know" answers to rule out) or info (a qualifying diagnosis and
 * no check yet); none when the handout was already given or the check found nothing to act on. A
 * card says so when the chart behind it was not read whole.
 */
final class EducationCards {

  private static final int SUMMARY_LIMIT = 140;

  /** What the hook read of the patient, for the cards. */
  record Seen(List<ChartEntry> entries, List<QuestionnaireResponse> responses, List<DocumentReference> documents,
      List<Task> tasks, boolean complete) {}

  private final FhirContext fhirContext;
  private final ContentLibrary library;
  private final ChartPrefill prefill;
  private final ResponseReader responses;
  private final ContraindicationCheck check = new ContraindicationCheck();
  private final ObjectMapper json;
  private final ObjectWriter appContexts;
  private final String appLaunchUrl;
  private final Clock clock;
  /** Each education item's card source, by item id: the library does not change while it is served. */
  private final Map<String, CardJson.Source> sources;
  /** Each education item's override reasons, by item id, read once from its value set. */
  private final Map<String, List<CardJson.Coding>> overrideReasons;

  EducationCards(FhirContext fhirContext, ContentLibrary library, ObjectMapper json, String appLaunchUrl,
      Clock clock) {
    this.fhirContext = fhirContext;
    this.library = library;
    this.prefill = new ChartPrefill(library);
    this.responses = new ResponseReader(library);
    this.json = json;
    this.appContexts = json.writerFor(AppContext.class);
    this.appLaunchUrl = appLaunchUrl;
    this.clock = clock;
    this.sources = library.items().stream().collect(Collectors.toUnmodifiableMap(EducationItem::id, this::source));
    this.overrideReasons = library.items().stream()
        .collect(Collectors.toUnmodifiableMap(EducationItem::id, this::overrideReasonsOf));
  }

  Optional<CardJson> card(EducationItem item, Seen seen, Optional<String> encounterId, String patientId) {
    if (alreadyGiven(seen, item, encounterId)) {
      return Optional.empty();
    }
    ContraindicationQuestionnaire questionnaire = library.questionnaire(item.questionnaireUrl());
    LocalDate today = LocalDate.now(clock);
    List<Finding> absolute = new ArrayList<>();
    List<Finding> relative = new ArrayList<>();
    for (ContraindicationItem question : questionnaire.items()) {
      List<Evidence> evidence = prefill.evidence(question, seen.entries(), today);
      if (!evidence.isEmpty() && question.severity() == Severity.ABSOLUTE) {
        absolute.add(new Finding(question, evidence));
      } else if (!evidence.isEmpty() && question.severity() == Severity.RELATIVE) {
        relative.add(new Finding(question, evidence));
      }
    }
    CardJson.Source source = sources.get(item.id());
    String handout = item.title().toLowerCase(Locale.ROOT) + " handout";
    String incomplete = seen.complete() ? "" : "\n\n**" + ChartIssues.INCOMPLETE + "**";
    if (!absolute.isEmpty()) {
      String found = absolute.stream().flatMap(finding -> finding.evidence().stream()).map(EducationCards::what)
          .distinct().collect(Collectors.joining(", "));
      return Optional.of(new CardJson(newUuid(),
          limit("Do not give the " + handout + ": " + found + " recorded"),
          detail(absolute, "The chart holds an absolute contraindication:") + incomplete,
          "critical", source, List.of(), null, overrideReasons(item), List.of()));
    }
    List<QuestionnaireResponse> completed = seen.responses().stream()
        .filter(response -> response.getStatus() == QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED
            && response.getQuestionnaire() != null
            && response.getQuestionnaire().split("\\|")[0].equals(questionnaire.url())
            && encounterId.map(id -> ("Encounter/" + id).equals(
                response.getEncounter().getReferenceElement().toUnqualifiedVersionless().getValue())).orElse(true))
        .toList();
    List<Reason> toRuleOut = toRuleOut(completed);
    if (relative.isEmpty() && toRuleOut.isEmpty() && !completed.isEmpty()) {
      return Optional.empty();
    }
    List<CardJson.Link> links = List.of(new CardJson.Link("Open the contraindication check", appLaunchUrl, "smart",
        appContext(patientId, encounterId)));
    List<CardJson.Suggestion> suggestions = encounterId.isPresent() && !hasTask(seen, item, encounterId.get())
        ? List.of(new CardJson.Suggestion("Attach the contraindication check to this encounter",
            newUuid(), true, List.of(new CardJson.Action("create",
                "Create the questionnaire Task for this encounter", taskJson(item, questionnaire, encounterId.get(),
                    patientId)))))
        : List.of();
    String selection = suggestions.isEmpty() ? null : "at-most-one";
    if (!relative.isEmpty() || !toRuleOut.isEmpty()) {
      String summary = relative.isEmpty()
          ? "Before giving the " + handout + ": record how " + toRuleOut.stream().map(Reason::linkId)
              .collect(Collectors.joining(", ")) + " was ruled out today"
          : "Review before giving the " + handout + ": " + relative.stream().map(finding -> finding.item().linkId())
              .collect(Collectors.joining(", ")) + " in the chart";
      String detail = (relative.isEmpty() ? ""
          : detail(relative, "The chart holds relative contraindications; each needs the clinician's acknowledgement:"))
          + ruleOutDetail(toRuleOut) + incomplete;
      return Optional.of(new CardJson(newUuid(), limit(summary), detail.strip(), "warning", source, suggestions,
          selection, overrideReasons(item), links));
    }
    return Optional.of(new CardJson(newUuid(),
        limit("Check before giving the " + handout + " (" + item.title() + ")"),
        "A qualifying diagnosis is recorded and the contraindication check has not been done yet." + incomplete,
        "info", source, suggestions, selection, List.of(), links));
  }

  /** The reasons the item's critical and warning cards offer for an override, from its value set. */
  List<CardJson.Coding> overrideReasons(EducationItem item) {
    return overrideReasons.get(item.id());
  }

  private List<CardJson.Coding> overrideReasonsOf(EducationItem item) {
    return library.codeSet(item.overrideReasons()).rules().stream()
        .map(rule -> new CardJson.Coding(rule.system(), rule.code(), rule.display())).toList();
  }

  private static boolean alreadyGiven(Seen seen, EducationItem item, Optional<String> encounterId) {
    return seen.documents().stream()
        .filter(document -> hasIdentifier(document.getIdentifier(), FhirIds.RELEASE_KEY, null))
        .filter(document -> document.getStatus() != DocumentReferenceStatus.ENTEREDINERROR)
        .anyMatch(document -> encounterId.isEmpty() || document.getContext().getEncounter().stream()
            .anyMatch(ref -> ("Encounter/" + encounterId.get())
                .equals(ref.getReferenceElement().toUnqualifiedVersionless().getValue())));
  }

  /**
   * The absolute items answered "don't know" in the latest completed check: the handout is given
   * only once the clinician records what was done today to rule each out. A response the plugin
   * cannot read (another questionnaire version, say) asks for nothing here: the give refuses it
   * with its reason.
   */
  private List<Reason> toRuleOut(List<QuestionnaireResponse> completed) {
    Optional<QuestionnaireResponse> latest = completed.stream()
        .max(Comparator.comparing((QuestionnaireResponse response) -> response.hasAuthored()
            ? response.getAuthored().getTime() : 0L));
    if (latest.isEmpty()) {
      return List.of();
    }
    try {
      ResponseReader.ReadResponse read = responses.read(latest.get());
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

  private static String what(Evidence evidence) {
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

  private static boolean hasTask(Seen seen, EducationItem item, String encounterId) {
    String key = encounterId + "/" + item.id();
    return seen.tasks().stream().anyMatch(task -> hasIdentifier(task.getIdentifier(), FhirIds.TASK_KEY, key));
  }

  /** Whether an identifier is in the system, with the value unless that is null. */
  private static boolean hasIdentifier(List<Identifier> identifiers, String system, String value) {
    return identifiers.stream().anyMatch(identifier -> system.equals(identifier.getSystem())
        && (value == null || value.equals(identifier.getValue())));
  }

  private JsonNode taskJson(EducationItem item, ContraindicationQuestionnaire questionnaire, String encounterId,
      String patientId) {
    Resource task = TaskAttachment.newTask(encounterId, "Patient/" + patientId, item, questionnaire,
        questionnaire.url(), clock.instant());
    try {
      return json.readTree(fhirContext.newJsonParser().encodeResourceToString(task));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("HAPI wrote a Task that is not JSON", e);
    }
  }

  private String appContext(String patientId, Optional<String> encounterId) {
    try {
      return appContexts.writeValueAsString(new AppContext(patientId, encounterId.orElse(null)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a card's SMART link hands the app. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"patientId", "encounterId"})
  private record AppContext(String patientId, String encounterId) {}

  /** A contraindication item the chart answers "yes", with the records that say so. */
  private record Finding(ContraindicationItem item, List<Evidence> evidence) {}
}
