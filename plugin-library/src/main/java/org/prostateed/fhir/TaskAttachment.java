package org.prostateed.fhir;

import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;

/**
 * Attaches the contraindication questionnaire to an encounter as a Task: focus the
 * Questionnaire, for the Patient, on the Encounter, status requested. The Task carries a key
 * identifier per encounter and education item, and is created with a conditional create on that
 * key, so attaching twice, or from two instances at once, never makes two Tasks.
 */
public final class TaskAttachment {

  private final ContentLibrary library;
  private final PublishedContent published;
  private final Clock clock;

  TaskAttachment(ContentLibrary library, PublishedContent published, Clock clock) {
    this.library = library;
    this.published = published;
    this.clock = clock;
  }

  /** The Task for this encounter and item, created when it does not exist yet. */
  Task ensure(FhirStore store, String encounterId, String patientReference, EducationItem item) {
    Optional<Task> existing = find(store, encounterId, item);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      store.transaction(attachBundle(encounterId, patientReference, item));
    } catch (ResourceVersionConflictException | PreconditionFailedException raced) {
      // Another request attached the same Task at the same moment: the store kept one; use it.
    }
    return find(store, encounterId, item).orElseThrow(
        () -> new IllegalStateException("the Task for Encounter/" + encounterId + " was not stored"));
  }

  /** Attaches Tasks for every item, in one transaction; returns nothing to keep it cheap. */
  void attachAll(FhirStore store, String encounterId, String patientReference, List<EducationItem> items) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (EducationItem item : items) {
      bundle.getEntry().addAll(attachBundle(encounterId, patientReference, item).getEntry());
    }
    if (!bundle.getEntry().isEmpty()) {
      store.transaction(bundle);
    }
  }

  Optional<Task> find(FhirStore store, String encounterId, EducationItem item) {
    return store.search(Task.class, "identifier=" + UrlQuery.token(FhirIds.TASK_KEY, key(encounterId, item)))
        .stream().findFirst();
  }

  private Bundle attachBundle(String encounterId, String patientReference, EducationItem item) {
    ContraindicationQuestionnaire questionnaire = library.questionnaire(item.questionnaireUrl());
    Task task = newTask(encounterId, patientReference, item, questionnaire,
        published.questionnaireReference(questionnaire), clock.instant());
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().setResource(task).getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Task")
        .setIfNoneExist("identifier=" + UrlQuery.token(FhirIds.TASK_KEY, key(encounterId, item)));
    return bundle;
  }

  /**
   * The questionnaire Task of an encounter and item.
   *
   * @param focus the Questionnaire's reference where it is stored, or its canonical URL where it
   *     is not (an EHR that has not been given the content)
   * @param authoredOn now, from the caller's clock
   */
  public static Task newTask(String encounterId, String patientReference, EducationItem item,
      ContraindicationQuestionnaire questionnaire, String focus, Instant authoredOn) {
    Task task = new Task();
    task.addIdentifier().setSystem(FhirIds.TASK_KEY).setValue(key(encounterId, item));
    task.setStatus(Task.TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setCode(new CodeableConcept(new Coding(FhirIds.TASK_CODE_SYSTEM, "contraindication-check",
        "Contraindication check before patient education")));
    task.setDescription(item.title() + ": answer the contraindication questionnaire before giving the handout");
    task.setFocus(new Reference(focus).setDisplay(questionnaire.title()));
    task.setFor(new Reference(patientReference));
    task.setEncounter(new Reference("Encounter/" + encounterId));
    task.setAuthoredOn(Date.from(authoredOn));
    task.addExtension(FhirIds.EDUCATION_ITEM, new StringType(item.id()));
    task.addInput().setType(new CodeableConcept().setText("questionnaire"))
        .setValue(new CanonicalType(questionnaire.canonical()));
    return task;
  }

  /** A PUT of the Task, only if the store still holds the version that was read. */
  static void addUpdate(Bundle bundle, Task updated, Task readVersion) {
    String id = readVersion.getIdElement().getIdPart();
    updated.setId(id);
    bundle.addEntry().setFullUrl("Task/" + id).setResource(updated).getRequest()
        .setMethod(Bundle.HTTPVerb.PUT).setUrl("Task/" + id)
        .setIfMatch("W/\"" + readVersion.getIdElement().getVersionIdPart() + "\"");
  }

  static String key(String encounterId, EducationItem item) {
    return encounterId + "/" + item.id();
  }
}
