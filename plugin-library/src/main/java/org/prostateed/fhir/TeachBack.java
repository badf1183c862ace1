package org.prostateed.fhir;

import java.time.Clock;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.EducationItem;

/**
 * {@code Encounter/{id}/$record-teach-back}: whether the patient could say back the stop signs
 * after the handout was given, stored as an Observation on the encounter, derived from the given
 * DocumentReference. Codes come from the catalog's {@code teachBack}.
 */
final class TeachBack {

  private final ContentLibrary library;
  private final Clock clock;

  TeachBack(ContentLibrary library, Clock clock) {
    this.library = library;
    this.clock = clock;
  }

  Observation record(FhirStore store, String encounterId, String documentReference, String result,
      String practitioner) {
    if (!FhirIds.isReference(documentReference, "DocumentReference")) {
      throw Outcomes.invalid("document must be a reference DocumentReference/<id>");
    }
    if (!FhirIds.isReference(practitioner, "Practitioner")) {
      throw Outcomes.invalid("practitioner must be a reference Practitioner/<id>");
    }
    DocumentReference document = store.read(DocumentReference.class, documentReference.substring("DocumentReference/".length()))
        .orElseThrow(() -> Outcomes.unprocessable(documentReference + " does not exist"));
    String documentEncounter = document.getContext().getEncounterFirstRep().getReference();
    if (!("Encounter/" + encounterId).equals(documentEncounter)) {
      throw Outcomes.conflict(documentReference + " was given on another encounter");
    }
    String itemId = ReleaseRecords.itemOf(document);
    EducationItem.TeachBack teachBack = library.item(itemId == null ? "" : itemId)
        .flatMap(EducationItem::teachBack)
        .orElseThrow(() -> Outcomes.unprocessable(documentReference + " is not a handout with a teach-back"));
    Coded answer = teachBack.result(result == null ? "" : result)
        .orElseThrow(() -> Outcomes.invalid("result must be one of "
            + teachBack.results().stream().map(Coded::code).toList() + ", not '" + result + "'"));
    if (store.read(org.hl7.fhir.r4.model.Practitioner.class, practitioner.substring("Practitioner/".length())).isEmpty()) {
      throw Outcomes.unprocessable(practitioner + " does not exist");
    }

    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.addCategory(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")));
    observation.setCode(concept(teachBack.code()));
    observation.setSubject(document.getSubject());
    observation.setEncounter(new Reference("Encounter/" + encounterId));
    observation.setEffective(new org.hl7.fhir.r4.model.DateTimeType(Date.from(clock.instant())));
    observation.addPerformer(new Reference(practitioner));
    observation.setValue(concept(answer));
    observation.addDerivedFrom(new Reference(documentReference));
    observation.setId((String) null);
    org.hl7.fhir.r4.model.Bundle bundle = new org.hl7.fhir.r4.model.Bundle()
        .setType(org.hl7.fhir.r4.model.Bundle.BundleType.TRANSACTION);
    bundle.addEntry().setResource(observation).getRequest()
        .setMethod(org.hl7.fhir.r4.model.Bundle.HTTPVerb.POST).setUrl("Observation");
    String location = store.transaction(bundle).getEntryFirstRep().getResponse().getLocation();
    String id = location.split("/")[1];
    return store.read(Observation.class, id).orElseThrow();
  }

  private static CodeableConcept concept(Coded coded) {
    return new CodeableConcept(new Coding(coded.system(), coded.code(), coded.display()));
  }
}
