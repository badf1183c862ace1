package org.prostateed.fhir;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Task;
import org.prostateed.chart.ChartQueries;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.content.EducationItem;
import org.prostateed.content.HandoutVersion;
import org.prostateed.engine.ContraindicationCheck;
import org.prostateed.engine.Decision;
import org.prostateed.engine.HandoutPersonalisation;
import org.prostateed.engine.Outcome;
import org.prostateed.engine.Reason;
import org.prostateed.handout.RenderedHandouts;

/**
 * {@code $give-education}: checks that the answers belong to the encounter and its patient, are
 * recent and answer this questionnaire; decides with the chart; then writes the release
 * ({@link ReleaseRecords}) or the refusal ({@link Refusal}).
 */
final class HandoutGive {

  private static final Set<String> MEDIA = Set.of("print", "portal");

  /** What the clinician asks for. */
  record Request(String encounterId, String responseReference, Optional<String> handoutId, Optional<String> language,
      String medium, String practitionerReference, Set<String> acknowledged, Map<String, Coded> ruledOut,
      boolean largePrint) {}

  /** The DocumentReference of the release, and whether this call created it. */
  record Result(DocumentReference document, boolean created) {}

  private final ContentLibrary library;
  private final ChartQueries queries;
  private final ResponseReader responses;
  private final ContraindicationCheck check = new ContraindicationCheck();
  private final HandoutPersonalisation personalisation = new HandoutPersonalisation();
  private final ChartCheck chartCheck;
  private final HandoutToGive handouts;
  private final TaskAttachment tasks;
  private final Refusal refusal;
  private final ReleaseRecords releases;
  private final RenderedHandouts rendered;
  private final boolean allowDraft;
  private final Clock clock;

  HandoutGive(ContentLibrary library, ChartQueries queries, HandoutToGive handouts, TaskAttachment tasks,
      ReleaseRecords releases, RenderedHandouts rendered, boolean allowDraft, Clock clock) {
    this.library = library;
    this.queries = queries;
    this.responses = new ResponseReader(library);
    this.chartCheck = new ChartCheck(library, queries);
    this.handouts = handouts;
    this.tasks = tasks;
    this.refusal = new Refusal(clock);
    this.releases = releases;
    this.rendered = rendered;
    this.allowDraft = allowDraft;
    this.clock = clock;
  }

  Result give(FhirStore store, Request request) {
    if (request.medium() == null || !MEDIA.contains(request.medium())) {
      throw Outcomes.invalid("medium must be one of " + new TreeSet<>(MEDIA) + ", not '" + request.medium() + "'");
    }
    String practitioner = requireReference(request.practitionerReference(), "Practitioner", "practitioner");
    String responseRef = requireReference(request.responseReference(), "QuestionnaireResponse", "questionnaireResponse");
    ChartReader.EncounterChart encounter = new ChartReader(store, queries).load(request.encounterId());
    EducationItem item = handouts.item(encounter, request.handoutId());
    if (store.read(Practitioner.class, idPart(practitioner)).isEmpty()) {
      throw Outcomes.unprocessable(practitioner + " does not exist");
    }
    QuestionnaireResponse response = store.read(QuestionnaireResponse.class, idPart(responseRef))
        .orElseThrow(() -> Outcomes.unprocessable(responseRef + " does not exist"));
    ResponseReader.ReadResponse read = answers(response, responseRef, encounter, item, request);
    requireApproved(item);
    LocalDate today = LocalDate.now(clock);
    Decision decision = check.decide(read.questionnaire(), read.answers(),
        chartCheck.absoluteFindings(store, read.questionnaire(), encounter, today));
    Task task = tasks.ensure(store, request.encounterId(), encounter.patientReference(), item);
    if (decision.outcome() == Outcome.CONTRAINDICATED || decision.outcome() == Outcome.INCOMPLETE) {
      throw refusal.record(store, task, decision, encounter.patientReference(), practitioner, responseRef);
    }
    List<String> unmet = decision.unmetForRelease(request.acknowledged(), request.ruledOut());
    if (!unmet.isEmpty()) {
      throw Outcomes.unprocessable(withSummary(unmet));
    }
    HandoutVersion handout = handouts.version(store, item, request.language(), encounter.patientReference(), today);
    ReleaseRecords.Written written = releases.write(store,
        release(request, item, handout, read, decision, response, encounter.patientReference(), practitioner), task);
    return new Result(written.document(), written.created());
  }

  /** The answers, once they are shown to be this encounter's, this questionnaire's and recent. */
  private ResponseReader.ReadResponse answers(QuestionnaireResponse response, String responseRef,
      ChartReader.EncounterChart encounter, EducationItem item, Request request) {
    if (!response.hasSubject() || !response.hasEncounter()) {
      throw Outcomes.unprocessable(responseRef + " must have its subject and encounter set before it is used"
          + " to give a handout");
    }
    if (!encounter.patientReference().equals(response.getSubject().getReferenceElement().toUnqualifiedVersionless()
        .getValue())) {
      throw Outcomes.conflict(responseRef + " belongs to another patient");
    }
    if (!("Encounter/" + request.encounterId()).equals(response.getEncounter().getReferenceElement()
        .toUnqualifiedVersionless().getValue())) {
      throw Outcomes.conflict(responseRef + " belongs to another encounter");
    }
    ResponseReader.ReadResponse read = responses.read(response);
    if (!read.questionnaire().url().equals(item.questionnaireUrl())) {
      throw Outcomes.unprocessable(responseRef + " answers " + read.questionnaire().url()
          + ", not the questionnaire of " + item.id());
    }
    for (String linkId : union(request.acknowledged(), request.ruledOut().keySet())) {
      if (read.questionnaire().item(linkId).isEmpty()) {
        String parameter = request.acknowledged().contains(linkId) ? "acknowledge" : "ruledOut";
        throw Outcomes.invalid(parameter + ": '" + linkId + "' is not an item of " + read.questionnaire().canonical());
      }
    }
    // A response older than responseMaxAgeHours may describe another day's patient.
    if (!response.hasAuthored()) {
      throw Outcomes.unprocessable(responseRef + " has no 'authored' time: it cannot be used to give a handout");
    }
    int maxAge = library.settings().responseMaxAgeHours();
    if (response.getAuthored().toInstant().isBefore(clock.instant().minus(Duration.ofHours(maxAge)))) {
      throw Outcomes.unprocessable(responseRef + " was answered more than " + maxAge
          + " hours ago: check the answers with the patient again");
    }
    return read;
  }

  /** Outside demo mode, every file the item rests on must be active and approved. */
  private void requireApproved(EducationItem item) {
    if (!allowDraft && !library.unapproved(item).isEmpty()) {
      throw Outcomes.unprocessable("the content of " + item.id() + " is not approved for use: "
          + library.unapproved(item).stream().map(a -> a.path() + " " + a.version() + " (" + a.status().code() + ")")
              .collect(Collectors.joining(", ")));
    }
  }

  /** The release: the personalised handout rendered, and the key of everything that defines it. */
  private ReleaseRecords.Release release(Request request, EducationItem item, HandoutVersion handout,
      ResponseReader.ReadResponse read, Decision decision, QuestionnaireResponse response, String patient,
      String practitioner) {
    Set<String> acknowledged = new TreeSet<>(decision.itemsToAcknowledge());
    // What was recorded for each absolute "don't know", with the content's own display of the reason.
    Map<String, Coded> ruledOut = new TreeMap<>();
    decision.reasons().stream().filter(reason -> reason.needed() == Reason.Needed.RULE_OUT)
        .forEach(reason -> ruledOut.put(reason.linkId(), reason.ruleOutReasons().stream()
            .filter(request.ruledOut().get(reason.linkId())::sameCode).findFirst().orElseThrow()));
    String markdown = personalisation.personalise(handout.markdown(), read.answers(), acknowledged).markdown();
    RenderedHandouts.Rendered bytes = rendered.render(handout, markdown, request.largePrint());
    String responseRef = request.responseReference();
    String key = ContentLoader.sha256(String.join("\n", request.encounterId(), responseRef,
        String.valueOf(response.getMeta().getVersionId()), handout.key(), request.medium(),
        String.join(",", acknowledged), ruledOut.toString(),
        request.largePrint() ? "large-print" : "standard-print").getBytes(StandardCharsets.UTF_8));
    return new ReleaseRecords.Release(key, item, handout, bytes.html(), bytes.pdf(), patient, request.encounterId(),
        practitioner, responseRef, request.medium(), acknowledged, ruledOut, read.origins());
  }

  private static List<String> withSummary(List<String> unmet) {
    List<String> messages = new java.util.ArrayList<>();
    messages.add("REVIEW: before the handout is given, the practitioner must deal with "
        + String.join(", ", unmet.stream().map(message -> message.substring(0, message.indexOf(':'))).toList()));
    messages.addAll(unmet);
    return messages;
  }

  private static Set<String> union(Set<String> first, Set<String> second) {
    Set<String> all = new TreeSet<>(first);
    all.addAll(second);
    return all;
  }

  static String requireReference(String reference, String type, String parameter) {
    if (reference == null || reference.isBlank()) {
      throw Outcomes.invalid(parameter + " is required");
    }
    if (!FhirIds.isReference(reference, type)) {
      throw Outcomes.invalid(parameter + " must be a reference " + type + "/<id>");
    }
    return reference;
  }

  static String idPart(String reference) {
    return reference.substring(reference.indexOf('/') + 1);
  }
}
