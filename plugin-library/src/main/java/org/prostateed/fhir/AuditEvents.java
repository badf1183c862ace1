package org.prostateed.fhir;

import java.util.Date;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.prostateed.content.Coded;

/** The one builder of the plugin's AuditEvents: a handout given, a handout refused, a card's feedback. */
public final class AuditEvents {

  private static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  private static final Coding EXPORT = new Coding("http://dicom.nema.org/resources/ontology/DCM", "110106", "Export");

  private AuditEvents() {}

  /**
   * A handout given: the patient, the document given, and the answers it rests on, with each
   * acknowledged item, each absolute item ruled out (with what was done) and each pre-filled
   * answer a person changed (with who) as details.
   */
  static AuditEvent given(Date now, String practitioner, String patient, String document, String response,
      Set<String> acknowledged, Map<String, Coded> ruledOut, Map<String, AnswerOrigin> origins) {
    AuditEvent audit = export(now, "0", "handout given", practitioner, patient);
    object(audit, document);
    AuditEvent.AuditEventEntityComponent answers = object(audit, response);
    acknowledged.forEach(linkId -> answers.addDetail().setType("acknowledged").setValue(new StringType(linkId)));
    ruledOut.forEach((linkId, reason) -> answers.addDetail().setType("ruled-out " + linkId)
        .setValue(new StringType(reason + (reason.display() == null ? "" : " " + reason.display()))));
    origins.forEach((linkId, origin) -> {
      if (AnswerOrigin.OVERRIDE.equals(origin.source())) {
        answers.addDetail().setType("overridden " + linkId)
            .setValue(new StringType("pre-filled answer changed by " + origin.author().orElse("unknown")));
      }
    });
    return audit;
  }

  /** A handout refused: the answers refused on and the Task rejected. */
  static AuditEvent refused(Date now, String outcome, String practitioner, String patient, String response,
      String task) {
    AuditEvent audit = export(now, "4", "handout refused: " + outcome, practitioner, patient);
    object(audit, response);
    object(audit, task);
    return audit;
  }

  /** A CDS card accepted or overridden, as the EHR reported it. */
  /**
   * CDS card feedback: the outcome, and for an override the reason (as a detail of the card entity,
   * {@code system|code} and its display) and the user's comment as given.
   */
  public static AuditEvent cardFeedback(Date now, String serviceId, String card, String outcome, Coding overrideReason,
      String userComment) {
    AuditEvent audit = new AuditEvent();
    audit.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    audit.addSubtype(new Coding(FhirIds.BASE + "CodeSystem/cds-feedback", outcome, "CDS card " + outcome));
    audit.setAction(AuditEvent.AuditEventAction.E);
    audit.setRecorded(now);
    audit.setOutcome(AuditEvent.AuditEventOutcome._0);
    audit.setOutcomeDesc("card " + card + " " + outcome
        + (overrideReason == null ? "" : ": " + overrideReason.getCode()));
    audit.addAgent().setRequestor(true).setWho(new Reference().setDisplay("CDS client"));
    audit.getSource().setObserver(new Reference().setDisplay(FhirIds.PLUGIN_DEVICE_NAME + " " + serviceId));
    AuditEvent.AuditEventEntityComponent entity = audit.addEntity().setName(card).setDescription("CDS Hooks card");
    if (overrideReason != null) {
      entity.addDetail().setType("overrideReason").setValue(new StringType(
          overrideReason.getSystem() + "|" + overrideReason.getCode()
              + (overrideReason.hasDisplay() ? " " + overrideReason.getDisplay() : "")));
    }
    if (userComment != null && !userComment.isBlank()) {
      entity.addDetail().setType("userComment").setValue(new StringType(userComment));
    }
    return audit;
  }

  private static AuditEvent export(Date now, String outcome, String description, String practitioner, String patient) {
    AuditEvent audit = new AuditEvent();
    audit.setType(EXPORT.copy());
    audit.setAction(AuditEvent.AuditEventAction.E);
    audit.setRecorded(now);
    audit.setOutcome(AuditEvent.AuditEventOutcome.fromCode(outcome));
    audit.setOutcomeDesc(description);
    audit.addAgent().setWho(new Reference(practitioner)).setRequestor(true);
    audit.getSource().setObserver(new Reference().setDisplay(FhirIds.PLUGIN_DEVICE_NAME));
    audit.addEntity().setWhat(new Reference(patient)).setType(new Coding(ENTITY_TYPE, "1", "Person"));
    return audit;
  }

  private static AuditEvent.AuditEventEntityComponent object(AuditEvent audit, String reference) {
    return audit.addEntity().setWhat(new Reference(reference)).setType(new Coding(ENTITY_TYPE, "2", "System Object"));
  }
}
