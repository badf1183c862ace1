package org.prostateed.fhir;

import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.prostateed.content.Coded;
import org.prostateed.content.EducationItem;
import org.prostateed.content.HandoutVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a release: the DocumentReference, Communication, Provenance and AuditEvent of one give
 * and the Task completed, in one transaction. A release carries a key identifier made of
 * everything that defines it, so a repeated give finds and returns the first release; the Task
 * is updated with If-Match on the version read before, so of two gives racing (in one process or
 * in several) only one commits, and the other retries and finds the first one's release.
 */
final class ReleaseRecords {

  static final String HTML = "text/html; charset=utf-8";
  static final String PDF = "application/pdf";

  private static final Logger log = LoggerFactory.getLogger(ReleaseRecords.class);
  private static final int ATTEMPTS = 5;

  /** Everything one release writes. */
  record Release(String key, EducationItem item, HandoutVersion handout, byte[] html, byte[] pdf, String patient,
      String encounterId, String practitioner, String response, String medium, Set<String> acknowledged,
      Map<String, Coded> ruledOut, Map<String, AnswerOrigin> origins) {}

  /** The DocumentReference of the release, and whether this call created it. */
  record Written(DocumentReference document, boolean created) {}

  private final TaskAttachment tasks;
  private final PublishedContent published;
  private final Clock clock;

  ReleaseRecords(TaskAttachment tasks, PublishedContent published, Clock clock) {
    this.tasks = tasks;
    this.published = published;
    this.clock = clock;
  }

  /** Writes the release once, or returns the release an earlier or racing give wrote. */
  Written write(FhirStore store, Release release, Task task) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      // The Task is read before looking for the release: a give that commits in between changes
      // the Task's version, so this attempt's If-Match fails instead of writing a second release.
      Task current = attempt == 1 ? task : tasks.ensure(store, release.encounterId(), release.patient(), release.item());
      Optional<DocumentReference> existing = find(store, release.key());
      if (existing.isPresent()) {
        return new Written(existing.get(), false);
      }
      try {
        Bundle written = store.transaction(bundle(release, current));
        Bundle.BundleEntryComponent entry = written.getEntryFirstRep();
        DocumentReference document = stored(store, entry, release.key())
            .orElseThrow(() -> new IllegalStateException("the release was not stored"));
        boolean created = entry.getResponse().getStatus().startsWith("201");
        if (created) {
          log.info("handout {} given on Encounter/{} as DocumentReference/{}", release.handout().key(),
              release.encounterId(), document.getIdElement().getIdPart());
        }
        return new Written(document, created);
      } catch (ResourceVersionConflictException | PreconditionFailedException raced) {
        log.debug("give on Encounter/{} raced another give (attempt {})", release.encounterId(), attempt);
      }
    }
    throw Outcomes.conflict("the Task of Encounter/" + release.encounterId()
        + " kept changing while the handout was given; try again");
  }

  /** The release with this key, if one was written. */
  Optional<DocumentReference> find(FhirStore store, String key) {
    return store.search(DocumentReference.class, "identifier=" + UrlQuery.token(FhirIds.RELEASE_KEY, key))
        .stream().findFirst();
  }

  /** The release as the store answered it, or read back when the store answered with its location only. */
  private Optional<DocumentReference> stored(FhirStore store, Bundle.BundleEntryComponent entry, String key) {
    if (entry.getResource() instanceof DocumentReference document) {
      return Optional.of(document);
    }
    String location = entry.getResponse().getLocation();
    return location == null ? find(store, key) : store.read(DocumentReference.class, new IdType(location).getIdPart());
  }

  private Bundle bundle(Release release, Task task) {
    Date now = Date.from(clock.instant());
    String documentUrn = "urn:uuid:" + UUID.randomUUID();
    String communicationUrn = "urn:uuid:" + UUID.randomUUID();
    String handoutRef = published.handoutReference(release.handout());
    String handoutCanonical = FhirIds.handoutLibraryUrl(release.handout().id(), release.handout().language())
        + "|" + release.handout().version();

    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String sameKey = "identifier=" + UrlQuery.token(FhirIds.RELEASE_KEY, release.key());
    bundle.addEntry().setFullUrl(documentUrn).setResource(document(release, now, handoutRef, handoutCanonical))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("DocumentReference").setIfNoneExist(sameKey);
    bundle.addEntry().setFullUrl(communicationUrn).setResource(communication(release, task, now, documentUrn))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Communication").setIfNoneExist(sameKey);
    Task completed = task.copy();
    completed.setStatus(Task.TaskStatus.COMPLETED);
    completed.setStatusReason(null);
    completed.setLastModified(now);
    completed.setOwner(new Reference(release.practitioner()));
    completed.addOutput().setType(new CodeableConcept().setText("handout given")).setValue(new Reference(documentUrn));
    TaskAttachment.addUpdate(bundle, completed, task);
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
        .setResource(provenance(release, now, documentUrn, communicationUrn, handoutRef, handoutCanonical))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Provenance");
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
        .setResource(AuditEvents.given(now, release.practitioner(), release.patient(), documentUrn, release.response(),
            release.acknowledged(), release.ruledOut(), release.origins()))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
    return bundle;
  }

  private static DocumentReference document(Release release, Date now, String handoutRef, String handoutCanonical) {
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
    return document;
  }

  private static Communication communication(Release release, Task task, Date now, String documentUrn) {
    Communication communication = new Communication();
    communication.addIdentifier().setSystem(FhirIds.RELEASE_KEY).setValue(release.key());
    communication.setStatus(Communication.CommunicationStatus.COMPLETED);
    communication.addBasedOn(new Reference("Task/" + task.getIdElement().getIdPart()));
    communication.setSubject(new Reference(release.patient()));
    communication.setEncounter(new Reference("Encounter/" + release.encounterId()));
    communication.addRecipient(new Reference(release.patient()));
    communication.setSender(new Reference(release.practitioner()));
    communication.setSent(now);
    Coding mode = "portal".equals(release.medium())
        ? new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationMode", "ELECTRONIC", "electronic data")
        : new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationMode", "WRITTEN", "written");
    communication.addMedium(new CodeableConcept(mode).setText(release.medium()));
    communication.addAbout(new Reference(release.response()));
    communication.addPayload().setContent(new Reference(documentUrn));
    return communication;
  }

  private static Provenance provenance(Release release, Date now, String documentUrn, String communicationUrn,
      String handoutRef, String handoutCanonical) {
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
    provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE).setWhat(new Reference(release.response()));
    provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE)
        .setWhat(new Reference(handoutRef).setDisplay(handoutCanonical));
    for (String linkId : release.acknowledged()) {
      provenance.addExtension(new Extension(FhirIds.ACKNOWLEDGED_ITEM, new StringType(linkId)));
    }
    // An absolute item answered "don't know", and what the clinician did today to rule it out.
    release.ruledOut().forEach((linkId, reason) -> {
      Extension ruledOut = provenance.addExtension().setUrl(FhirIds.RULED_OUT_ITEM);
      ruledOut.addExtension("item", new StringType(linkId));
      ruledOut.addExtension("reason", new Coding(reason.system(), reason.code(), reason.display()));
    });
    // Where each answer the give rests on came from (DTR information-origin; unknown without it).
    release.origins().forEach((linkId, origin) -> {
      Extension answered = provenance.addExtension().setUrl(FhirIds.ANSWER_ORIGIN);
      answered.addExtension("item", new StringType(linkId));
      answered.addExtension("source", new CodeType(origin.source()));
      origin.author().ifPresent(author -> answered.addExtension("author", new Reference(author)));
    });
    return provenance;
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

  /** The education item a release DocumentReference was given for. */
  static String itemOf(DocumentReference document) {
    Extension extension = document.getExtensionByUrl(FhirIds.EDUCATION_ITEM);
    return extension == null ? null : extension.getValue().primitiveValue();
  }
}
