package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/** The steps the integration suites share: new patients and encounters, answers, gives. */
final class GiveSteps {

  static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";
  static final String PRACTITIONER = "Practitioner/demo-practitioner";

  FhirHttp http;

  record NewEncounter(String patientId, String encounterId) {}

  NewEncounter newQualifyingEncounter(String icdCode) {
    return newEncounter(icdCode, "confirmed");
  }

  /** A patient, an encounter and a diagnosis linked through Encounter.diagnosis, in one transaction. */
  NewEncounter newEncounter(String icdCode, String verification) {
    String patientUrn = "urn:uuid:" + UUID.randomUUID();
    String conditionUrn = "urn:uuid:" + UUID.randomUUID();
    String encounterUrn = "urn:uuid:" + UUID.randomUUID();
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().setFullUrl(patientUrn).setResource(new Patient().setActive(true))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
    bundle.addEntry().setFullUrl(conditionUrn).setResource(condition(patientUrn, icdCode, verification))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Condition");
    Encounter encounter = new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS)
        .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
        .setSubject(new Reference(patientUrn));
    encounter.addDiagnosis().setCondition(new Reference(conditionUrn));
    bundle.addEntry().setFullUrl(encounterUrn).setResource(encounter)
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Encounter");
    FhirHttp.Reply reply = http.post("", bundle);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    List<Bundle.BundleEntryComponent> entries = reply.as(Bundle.class).getEntry();
    return new NewEncounter(idOf(entries.get(0).getResponse().getLocation()), idOf(entries.get(2).getResponse().getLocation()));
  }

  static Condition condition(String patient, String icdCode, String verification) {
    Condition condition = new Condition().setSubject(new Reference(patient));
    condition.getCode().addCoding(new Coding(ICD, icdCode, null));
    condition.setVerificationStatus(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/condition-ver-status", verification, null)));
    if (!"entered-in-error".equals(verification)) {
      condition.setClinicalStatus(new CodeableConcept(new Coding(
          "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
    }
    return condition;
  }

  private static String idOf(String location) {
    return location.split("/")[1];
  }

  String created(org.hl7.fhir.r4.model.Resource resource) {
    FhirHttp.Reply reply = http.post(resource.fhirType(), resource);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return resource.fhirType() + "/" + reply.location().split("/")[reply.location().split("/").length - 3];
  }

  String storeResponse(Responses responses) {
    return storeResponse(responses.build());
  }

  String storeResponse(QuestionnaireResponse response) {
    FhirHttp.Reply reply = http.post("QuestionnaireResponse", response);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.as(QuestionnaireResponse.class).getIdElement().getIdPart();
  }

  FhirHttp.Reply give(String encounterId, String responseId, String medium, String... acknowledge) {
    Parameters parameters = giveParameters(responseId, medium);
    for (String linkId : acknowledge) {
      parameters.addParameter().setName("acknowledge").setValue(new StringType(linkId));
    }
    return http.post("Encounter/" + encounterId + "/$give-education", parameters);
  }

  /** A give with rule-out reasons, each {@code linkId -> system|code}, beside the acknowledgements. */
  FhirHttp.Reply give(String encounterId, String responseId, String medium, java.util.Map<String, String> ruledOut,
      String... acknowledge) {
    Parameters parameters = giveParameters(responseId, medium);
    for (String linkId : acknowledge) {
      parameters.addParameter().setName("acknowledge").setValue(new StringType(linkId));
    }
    ruledOut.forEach((linkId, reason) -> {
      Parameters.ParametersParameterComponent part = parameters.addParameter().setName("ruledOut");
      part.addPart().setName("item").setValue(new StringType(linkId));
      part.addPart().setName("reason").setValue(new Coding(reason.split("\\|")[0], reason.split("\\|")[1], null));
    });
    return http.post("Encounter/" + encounterId + "/$give-education", parameters);
  }

  static Parameters giveParameters(String responseId, String medium) {
    Parameters parameters = new Parameters();
    parameters.addParameter().setName("questionnaireResponse")
        .setValue(new Reference("QuestionnaireResponse/" + responseId));
    parameters.addParameter().setName("medium").setValue(new CodeType(medium));
    parameters.addParameter().setName("practitioner").setValue(new Reference(PRACTITIONER));
    return parameters;
  }

  /** Gives the handout for an encounter with answers that have nothing against it; returns the DocumentReference. */
  String giveEligible(NewEncounter encounter) {
    FhirHttp.Reply reply = give(encounter.encounterId(),
        storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId())), "print");
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return "DocumentReference/" + reply.as(DocumentReference.class).getIdElement().getIdPart();
  }
}
