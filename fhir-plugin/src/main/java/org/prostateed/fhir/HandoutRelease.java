package org.prostateed.fhir;

import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.content.EducationItem;
import org.prostateed.content.HandoutVersion;
import org.prostateed.engine.ContraindicationCheck;
import org.prostateed.engine.Decision;
import org.prostateed.engine.HandoutChoice;
import org.prostateed.engine.HandoutPersonalisation;
import org.prostateed.engine.Outcome;
import org.prostateed.engine.QualifyingDiagnosisFinder;
import org.prostateed.engine.Reason;
import org.prostateed.handout.HandoutPdf;
import org.prostateed.handout.RenderedHandouts;
import org.prostateed.handout.HandoutRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a handout ({@code $give-education}): checks that the response belongs to the encounter
 * and its patient, decides, and either writes the release (DocumentReference, Communication,
 * Provenance, AuditEvent and the completed Task) or the refusal (rejected Task and AuditEvent),
 * each in one FHIR transaction.
 *
 * <p>Idempotency: a release carries a key identifier made of everything that defines it, so a
 * repeated give finds and returns the first release. The transaction updates the Task with
 * If-Match on the version read before, so of two gives racing (in one process or in several) only
 * one commits; the other retries and finds the first one's release.
 */
final class HandoutRelease {

  private static final Logger log = LoggerFactory.getLogger(HandoutRelease.class);
  private static final int ATTEMPTS = 5;
  private static final Set<String> MEDIA = Set.of("print", "portal");
  static final String HTML = "text/html; charset=utf-8";
  static final String PDF = "application/pdf";
  /** Distinct handout texts whose page and PDF are kept (a few KB each). */
  private static final int RENDERED_TEXTS = 64;

  /** What the clinician asks for. */
  record GiveRequest(
      String encounterId,
      String responseReference,
      Optional<String> handoutId,
      Optional<String> language,
      String medium,
      String practitionerReference,
      Set<String> acknowledged,
      Map<String, Coded> ruledOut,
      boolean largePrint) {}

  /** The DocumentReference of the release, and whether this call created it. */
  record GiveResult(DocumentReference document, boolean created) {}

  private final ContentLibrary library;
  private final QualifyingDiagnosisFinder finder;
  private final ResponseReader responses;
  private final ContraindicationCheck check = new ContraindicationCheck();
  private final HandoutPersonalisation personalisation = new HandoutPersonalisation();
  private final HandoutRenderer renderer;
  private final RenderedHandouts rendered;
  private final HandoutChoice choice;
  private final TaskAttachment tasks;
  private final PublishedContent published;
  private final ChartCheck chartCheck;
  private final boolean allowDraft;
  private final Clock clock;

  HandoutRelease(ContentLibrary library, TaskAttachment tasks, PublishedContent published,
      HandoutRenderer renderer, boolean allowDraft, Clock clock) {
    this.library = library;
    this.finder = new QualifyingDiagnosisFinder(library);
    this.responses = new ResponseReader(library);
    this.renderer = renderer;
    this.rendered = new RenderedHandouts(renderer, new HandoutPdf()::pdf, RENDERED_TEXTS);
    this.choice = new HandoutChoice(library, allowDraft);
    this.tasks = tasks;
    this.published = published;
    this.chartCheck = new ChartCheck(library);
    this.allowDraft = allowDraft;
    this.clock = clock;
  }

  /** A response older than the local {@code responseMaxAgeHours} may describe another day's patient. */
  private void checkRecent(QuestionnaireResponse response, String responseRef) {
    if (!response.hasAuthored()) {
      throw Outcomes.unprocessable(responseRef + " has no 'authored' time: it cannot be used to give a handout");
    }
    int maxAge = library.settings().responseMaxAgeHours();
    if (response.getAuthored().toInstant().isBefore(clock.instant().minus(java.time.Duration.ofHours(maxAge)))) {
      throw Outcomes.unprocessable(responseRef + " was answered more than " + maxAge
          + " hours ago: check the answers with the patient again");
    }
  }

  /** A rendering of what would be given, and in which language and version. */
  record Preview(byte[] html, HandoutVersion handout) {}

  /**
   * What the patient would receive for these answers, rendered but not stored: for the clinician
   * to look at before giving. Nothing is written.
   */
  Preview preview(FhirStore store, String encounterId, QuestionnaireResponse response, Optional<String> language,
      Set<String> acknowledged, boolean largePrint) {
    ChartReader.EncounterChart encounter = new ChartReader(store).load(encounterId);
    List<EducationItem> items = finder.items(finder.find(encounter.linkedConditions()));
    if (items.isEmpty()) {
      throw Outcomes.unprocessable("Encounter/" + encounterId + " has no qualifying diagnosis");
    }
    ResponseReader.ReadResponse read = responses.read(response);
    EducationItem item = items.stream().filter(i -> i.questionnaireUrl().equals(read.questionnaire().url()))
        .findFirst()
        .orElseThrow(() -> Outcomes.unprocessable("the response does not answer this encounter's questionnaire"));
    HandoutVersion handout = chooseHandout(store, item, language, encounter.patientReference());
    String markdown = personalisation.personalise(handout.markdown(), read.answers(), acknowledged).markdown();
    return new Preview(renderer.page(handout, markdown, largePrint), handout);
  }

  GiveResult give(FhirStore store, GiveRequest request) {
    if (request.medium() == null || !MEDIA.contains(request.medium())) {
      throw Outcomes.invalid("medium must be one of " + new TreeSet<>(MEDIA) + ", not '" + request.medium() + "'");
    }
    String practitioner = requireReference(request.practitionerReference(), "Practitioner", "practitioner");
    String responseRef = requireReference(request.responseReference(), "QuestionnaireResponse", "questionnaireResponse");

    ChartReader.EncounterChart encounter = new ChartReader(store).load(request.encounterId());
    List<EducationItem> items = finder.items(finder.find(encounter.linkedConditions()));
    if (items.isEmpty()) {
      throw Outcomes.unprocessable("Encounter/" + request.encounterId() + " has no qualifying diagnosis");
    }
    EducationItem item = chooseItem(items, request.handoutId());
    if (store.read(Practitioner.class, idPart(practitioner)).isEmpty()) {
      throw Outcomes.unprocessable(practitioner + " does not exist");
    }
    QuestionnaireResponse response = store.read(QuestionnaireResponse.class, idPart(responseRef))
        .orElseThrow(() -> Outcomes.unprocessable(responseRef + " does not exist"));
    checkBelongs(response, responseRef, encounter, request.encounterId());
    ResponseReader.ReadResponse read = responses.read(response);
    if (!read.questionnaire().url().equals(item.questionnaireUrl())) {
      throw Outcomes.unprocessable(responseRef + " answers " + read.questionnaire().url()
          + ", not the questionnaire of " + item.id());
    }
    for (String linkId : request.acknowledged()) {
      if (read.questionnaire().item(linkId).isEmpty()) {
        throw Outcomes.invalid("acknowledge: '" + linkId + "' is not an item of " + read.questionnaire().canonical());
      }
    }
    for (String linkId : request.ruledOut().keySet()) {
      if (read.questionnaire().item(linkId).isEmpty()) {
        throw Outcomes.invalid("ruledOut: '" + linkId + "' is not an item of " + read.questionnaire().canonical());
      }
    }
    if (!allowDraft && !library.unapproved(item).isEmpty()) {
      throw Outcomes.unprocessable("the content of " + item.id() + " is not approved for use: "
          + library.unapproved(item).stream().map(a -> a.path() + " " + a.version() + " (" + a.status().code() + ")")
              .collect(Collectors.joining(", ")));
    }
    checkRecent(response, responseRef);
    Decision decision = check.decide(read.questionnaire(), read.answers(),
        chartCheck.absoluteFindings(store, read.questionnaire(), encounter, LocalDate.now(clock)));
    Task task = tasks.ensure(store, request.encounterId(), encounter.patientReference(), item);
    if (decision.outcome() == Outcome.CONTRAINDICATED || decision.outcome() == Outcome.INCOMPLETE) {
      refuse(store, task, decision, encounter.patientReference(), practitioner, responseRef);
      throw Outcomes.unprocessable(refusalMessages(decision));
    }
    List<String> unmet = decision.unmetForRelease(request.acknowledged(), request.ruledOut());
    if (!unmet.isEmpty()) {
      List<String> messages = new ArrayList<>();
      messages.add("REVIEW: before the handout is given, the practitioner must deal with "
          + String.join(", ", unmet.stream().map(message -> message.substring(0, message.indexOf(':'))).toList()));
      messages.addAll(unmet);
      throw Outcomes.unprocessable(messages);
    }
    Set<String> acknowledged = new TreeSet<>(decision.itemsToAcknowledge());
    // What was recorded, with the content's own display of each reason.
    Map<String, Coded> ruledOut = new TreeMap<>();
    decision.reasons().stream().filter(reason -> reason.needed() == Reason.Needed.RULE_OUT)
        .forEach(reason -> ruledOut.put(reason.linkId(), reason.ruleOutReasons().stream()
            .filter(request.ruledOut().get(reason.linkId())::sameCode).findFirst().orElseThrow()));
    HandoutVersion handout = givableHandout(store, item, request.language(), encounter.patientReference());
    HandoutPersonalisation.Personalised text =
        personalisation.personalise(handout.markdown(), read.answers(), acknowledged);
    RenderedHandouts.Rendered rendered = this.rendered.render(handout, text.markdown(), request.largePrint());
    byte[] html = rendered.html();
    byte[] pdf = rendered.pdf();
    String key = ContentLoader.sha256(String.join("\n", request.encounterId(), responseRef,
        String.valueOf(response.getMeta().getVersionId()), handout.key(), request.medium(),
        String.join(",", acknowledged), ruledOut.toString(),
        request.largePrint() ? "large-print" : "standard-print").getBytes(StandardCharsets.UTF_8));
    Release release = new Release(key, item, handout, html, pdf, encounter.patientReference(), request.encounterId(),
        practitioner, responseRef, request.medium(), acknowledged, ruledOut);

    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      // The Task is read before looking for the release: a give that commits in between changes
      // the Task's version, so this attempt's If-Match fails instead of writing a second release.
      Task current = attempt == 1 ? task : tasks.ensure(store, request.encounterId(), encounter.patientReference(), item);
      Optional<DocumentReference> existing = findRelease(store, key);
      if (existing.isPresent()) {
        return new GiveResult(existing.get(), false);
      }
      try {
        Bundle written = store.transaction(releaseBundle(release, current));
        DocumentReference document = stored(store, written.getEntryFirstRep(), key)
            .orElseThrow(() -> new IllegalStateException("the release was not stored"));
        if (!written.getEntryFirstRep().getResponse().getStatus().startsWith("201")) {
          return new GiveResult(document, false);
        }
        log.info("handout {} given on Encounter/{} as DocumentReference/{}", handout.key(),
            request.encounterId(), document.getIdElement().getIdPart());
        return new GiveResult(document, true);
      } catch (ResourceVersionConflictException | PreconditionFailedException raced) {
        log.debug("give on Encounter/{} raced another give (attempt {})", request.encounterId(), attempt);
      }
    }
    throw Outcomes.conflict("the Task of Encounter/" + request.encounterId()
        + " kept changing while the handout was given; try again");
  }

  /** The release as the store answered it, or read back when the store answered with its location only. */
  private Optional<DocumentReference> stored(FhirStore store, Bundle.BundleEntryComponent entry, String key) {
    if (entry.getResource() instanceof DocumentReference document) {
      return Optional.of(document);
    }
    String location = entry.getResponse().getLocation();
    return location == null ? findRelease(store, key) : store.read(DocumentReference.class, new IdType(location).getIdPart());
  }

  private record Release(
      String key,
      EducationItem item,
      HandoutVersion handout,
      byte[] html,
      byte[] pdf,
      String patient,
      String encounterId,
      String practitioner,
      String response,
      String medium,
      Set<String> acknowledged,
      Map<String, Coded> ruledOut) {}

  private Bundle releaseBundle(Release release, Task task) {
    Date now = Date.from(clock.instant());
    String documentUrn = "urn:uuid:" + UUID.randomUUID();
    String communicationUrn = "urn:uuid:" + UUID.randomUUID();
    String handoutRef = published.handoutReference(release.handout());
    String handoutCanonical = FhirIds.handoutLibraryUrl(release.handout().id(), release.handout().language())
        + "|" + release.handout().version();

    DocumentReference document = new DocumentReference();
    document.addIdentifier().setSystem(FhirIds.RELEASE_KEY).setValue(release.key());
    document.addExtension(FhirIds.HANDOUT_VERSION, new CanonicalType(handoutCanonical));
    document.addExtension(FhirIds.EDUCATION_ITEM, new StringType(release.item().id()));
    document.setStatus(DocumentReferenceStatus.CURRENT);
    document.setDocStatus(DocumentReference.ReferredDocumentStatus.FINAL);
    release.item().documentType().ifPresent(type ->
        document.setType(new CodeableConcept(new Coding(type.system(), type.code(), type.display()))));
    document.setSubject(new Reference(release.patient()));
    document.setDate(now);
    document.addAuthor(new Reference(release.practitioner()));
    document.setDescription(release.handout().title() + " (version " + release.handout().version() + ")");
    document.addContent().setAttachment(attachment(release, HTML, release.html(), now));
    document.addContent().setAttachment(attachment(release, PDF, release.pdf(), now));
    document.getContext().addEncounter(new Reference("Encounter/" + release.encounterId()));
    document.getContext().addRelated(new Reference(handoutRef).setDisplay(handoutCanonical));
    document.getContext().addRelated(new Reference(release.response()));

    Communication communication = new Communication();
    communication.addIdentifier().setSystem(FhirIds.RELEASE_KEY).setValue(release.key());
    communication.setStatus(Communication.CommunicationStatus.COMPLETED);
    communication.addBasedOn(new Reference("Task/" + task.getIdElement().getIdPart()));
    communication.setSubject(new Reference(release.patient()));
    communication.setEncounter(new Reference("Encounter/" + release.encounterId()));
    communication.addRecipient(new Reference(release.patient()));
    communication.setSender(new Reference(release.practitioner()));
    communication.setSent(now);
    communication.addMedium(medium(release.medium()));
    communication.addAbout(new Reference(release.response()));
    communication.addPayload().setContent(new Reference(documentUrn));

    Task completed = task.copy();
    completed.setStatus(Task.TaskStatus.COMPLETED);
    completed.setStatusReason(null);
    completed.setLastModified(now);
    completed.setOwner(new Reference(release.practitioner()));
    completed.addOutput().setType(new CodeableConcept().setText("handout given"))
        .setValue(new Reference(documentUrn));

    Provenance provenance = new Provenance();
    provenance.addTarget(new Reference(documentUrn));
    provenance.addTarget(new Reference(communicationUrn));
    provenance.setRecorded(now);
    provenance.setActivity(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create")));
    provenance.addAgent()
        .setType(new CodeableConcept(new Coding(
            "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author")))
        .setWho(new Reference(release.practitioner()));
    provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE)
        .setWhat(new Reference(release.response()));
    provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE)
        .setWhat(new Reference(handoutRef).setDisplay(handoutCanonical));
    for (String linkId : release.acknowledged()) {
      provenance.addExtension(new Extension(FhirIds.ACKNOWLEDGED_ITEM, new StringType(linkId)));
    }
    release.ruledOut().forEach((linkId, reason) -> provenance.addExtension(ruledOutExtension(linkId, reason)));

    AuditEvent audit = audit(now, "0", "handout given", release.practitioner(), release.patient());
    audit.addEntity().setWhat(new Reference(documentUrn))
        .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
    AuditEvent.AuditEventEntityComponent answers = audit.addEntity().setWhat(new Reference(release.response()))
        .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
    release.acknowledged().forEach(linkId -> answers.addDetail().setType("acknowledged").setValue(new StringType(linkId)));
    release.ruledOut().forEach((linkId, reason) -> answers.addDetail().setType("ruled-out " + linkId)
        .setValue(new StringType(reason.toString() + (reason.display() == null ? "" : " " + reason.display()))));

    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().setFullUrl(documentUrn).setResource(document).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl("DocumentReference")
        .setIfNoneExist("identifier=" + UrlQuery.token(FhirIds.RELEASE_KEY, release.key()));
    bundle.addEntry().setFullUrl(communicationUrn).setResource(communication).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl("Communication")
        .setIfNoneExist("identifier=" + UrlQuery.token(FhirIds.RELEASE_KEY, release.key()));
    addUpdate(bundle, completed, task);
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(provenance).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl("Provenance");
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(audit).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
    return bundle;
  }

  /**
   * An absolute item answered "don't know" and what the clinician did today to rule it out:
   * {@code item} (the linkId) and {@code reason} (a coding of the questionnaire's rule-out reasons).
   */
  private static Extension ruledOutExtension(String linkId, Coded reason) {
    Extension extension = new Extension(FhirIds.RULED_OUT_ITEM);
    extension.addExtension("item", new StringType(linkId));
    extension.addExtension("reason", new Coding(reason.system(), reason.code(), reason.display()));
    return extension;
  }

  /** The exact bytes given, with their size and SHA-1 hash (FHIR Attachment.hash). */
  private static Attachment attachment(Release release, String contentType, byte[] bytes, Date now) {
    return new Attachment()
        .setContentType(contentType)
        .setLanguage(release.handout().language())
        .setTitle(release.handout().title())
        .setData(bytes)
        .setSize(bytes.length)
        .setHash(ContentPublisher.sha1(bytes))
        .setCreationElement(new DateTimeType(now));
  }

  /** The refusal: the Task rejected with the reasons, and an audit of the refusal, together. */
  private void refuse(FhirStore store, Task task, Decision decision, String patient, String practitioner,
      String response) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Task current = attempt == 1 ? task : store.read(Task.class, task.getIdElement().getIdPart()).orElse(task);
      Date now = Date.from(clock.instant());
      Task rejected = current.copy();
      rejected.setStatus(Task.TaskStatus.REJECTED);
      rejected.setLastModified(now);
      rejected.setStatusReason(new CodeableConcept().setText(decision.outcome().name() + ": "
          + decision.decisiveReasons().stream().map(r -> r.linkId() + " (" + r.severity().code() + ")")
              .collect(Collectors.joining(", "))));
      AuditEvent audit = audit(now, "4", "handout refused: " + decision.outcome().name(), practitioner, patient);
      audit.addEntity().setWhat(new Reference(response))
          .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
      audit.addEntity().setWhat(new Reference("Task/" + current.getIdElement().getIdPart()))
          .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
      Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
      addUpdate(bundle, rejected, current);
      bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(audit).getRequest()
          .setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
      try {
        store.transaction(bundle);
        log.info("handout refused on {} ({})", "Task/" + current.getIdElement().getIdPart(), decision.outcome());
        return;
      } catch (ResourceVersionConflictException | PreconditionFailedException raced) {
        log.debug("refusal raced another write (attempt {})", attempt);
      }
    }
  }

  private static void addUpdate(Bundle bundle, Task updated, Task readVersion) {
    String id = readVersion.getIdElement().getIdPart();
    updated.setId(id);
    bundle.addEntry().setFullUrl("Task/" + id).setResource(updated).getRequest()
        .setMethod(Bundle.HTTPVerb.PUT).setUrl("Task/" + id)
        .setIfMatch("W/\"" + readVersion.getIdElement().getVersionIdPart() + "\"");
  }

  private AuditEvent audit(Date now, String outcome, String description, String practitioner, String patient) {
    AuditEvent audit = new AuditEvent();
    audit.setType(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110106", "Export"));
    audit.setAction(AuditEvent.AuditEventAction.E);
    audit.setRecorded(now);
    audit.setOutcome(AuditEvent.AuditEventOutcome.fromCode(outcome));
    audit.setOutcomeDesc(description);
    audit.addAgent().setWho(new Reference(practitioner)).setRequestor(true);
    audit.getSource().setObserver(new Reference().setDisplay(FhirIds.PLUGIN_DEVICE_NAME));
    audit.addEntity().setWhat(new Reference(patient))
        .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"));
    return audit;
  }

  private Optional<DocumentReference> findRelease(FhirStore store, String key) {
    return store.search(DocumentReference.class, "identifier=" + UrlQuery.token(FhirIds.RELEASE_KEY, key))
        .stream().findFirst();
  }

  private EducationItem chooseItem(List<EducationItem> items, Optional<String> handoutId) {
    if (handoutId.isPresent()) {
      return items.stream().filter(item -> item.handoutId().equals(handoutId.get())).findFirst()
          .orElseThrow(() -> Outcomes.unprocessable("handout '" + handoutId.get()
              + "' does not apply to this encounter"));
    }
    if (items.size() > 1) {
      throw Outcomes.invalid("the encounter has several education items: name the handout");
    }
    return items.get(0);
  }

  private HandoutVersion chooseHandout(FhirStore store, EducationItem item, Optional<String> language,
      String patientReference) {
    LocalDate today = LocalDate.now(clock);
    if (language.isPresent()) {
      return choice.choose(item.handoutId(), List.of(language.get()), today)
          .filter(version -> version.language().equals(language.get()))
          .orElseThrow(() -> Outcomes.unprocessable("no handout version of '" + item.handoutId()
              + "' in language '" + language.get() + "' may be given" + library.handoutVersions(item.handoutId(),
                  language.get()).stream().flatMap(version -> choice.whyNotGivable(version, today).stream())
                  .map(why -> ": " + why).findFirst().orElse("")));
    }
    return choice.choose(item.handoutId(), patientLanguages(store, patientReference), today)
        .orElseThrow(() -> Outcomes.unprocessable("no version of handout '" + item.handoutId()
            + "' may be given (none is active and within its review date)"));
  }

  /** The version to give, unless the store says it has been retired since it was published. */
  private HandoutVersion givableHandout(FhirStore store, EducationItem item, Optional<String> language,
      String patientReference) {
    HandoutVersion handout = chooseHandout(store, item, language, patientReference);
    if (published.handoutLibrary(handout).getStatus() == Enumerations.PublicationStatus.RETIRED) {
      throw Outcomes.unprocessable("handout " + handout.key() + " has been retired and may not be given");
    }
    return handout;
  }

  private List<String> patientLanguages(FhirStore store, String patientReference) {
    List<String> languages = new ArrayList<>();
    store.read(Patient.class, idPart(patientReference)).ifPresent(patient -> patient.getCommunication().stream()
        .sorted((a, b) -> Boolean.compare(b.getPreferred(), a.getPreferred()))
        .flatMap(communication -> communication.getLanguage().getCoding().stream())
        .filter(Coding::hasCode)
        .map(coding -> coding.getCode().split("-")[0])
        .forEach(languages::add));
    return languages;
  }

  private static void checkBelongs(QuestionnaireResponse response, String responseRef,
      ChartReader.EncounterChart encounter, String encounterId) {
    if (!response.hasSubject() || !response.hasEncounter()) {
      throw Outcomes.unprocessable(responseRef + " must have its subject and encounter set before it is used"
          + " to give a handout");
    }
    String subject = response.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue();
    if (!encounter.patientReference().equals(subject)) {
      throw Outcomes.conflict(responseRef + " belongs to another patient");
    }
    String responseEncounter = response.getEncounter().getReferenceElement().toUnqualifiedVersionless().getValue();
    if (!("Encounter/" + encounterId).equals(responseEncounter)) {
      throw Outcomes.conflict(responseRef + " belongs to another encounter");
    }
  }

  private static List<String> refusalMessages(Decision decision) {
    List<String> messages = new ArrayList<>();
    messages.add(decision.outcome().name() + ": the handout may not be given");
    for (Reason reason : decision.decisiveReasons()) {
      messages.add(reason.linkId() + " (" + reason.severity().code() + ", " + reason.finding() + "): "
          + reason.rationale()
          + (reason.evidence().isEmpty() ? "" : " Chart: " + String.join("; ",
              reason.evidence().stream().map(org.prostateed.engine.Evidence::describe).toList())));
    }
    return messages;
  }

  private static Coding mediumCoding(String medium) {
    return "portal".equals(medium)
        ? new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationMode", "ELECTRONIC", "electronic data")
        : new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationMode", "WRITTEN", "written");
  }

  private static CodeableConcept medium(String medium) {
    return new CodeableConcept(mediumCoding(medium)).setText(medium);
  }

  private static String requireReference(String reference, String type, String parameter) {
    if (reference == null || reference.isBlank()) {
      throw Outcomes.invalid(parameter + " is required");
    }
    if (!FhirIds.isReference(reference, type)) {
      throw Outcomes.invalid(parameter + " must be a reference " + type + "/<id>");
    }
    return reference;
  }

  private static String idPart(String reference) {
    return reference.substring(reference.indexOf('/') + 1);
  }

  /** The education item a release DocumentReference was given for. */
  static String itemOf(DocumentReference document) {
    Extension extension = document.getExtensionByUrl(FhirIds.EDUCATION_ITEM);
    return extension == null ? null : extension.getValue().primitiveValue();
  }
}
