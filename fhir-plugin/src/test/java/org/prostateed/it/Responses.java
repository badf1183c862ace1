package org.prostateed.it;

import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;

/**
 * QuestionnaireResponses as an SDC renderer would send them: the yes / no / don't-know codings
 * docs/api.md fixes. By default every contraindication is answered "no", the indication is chronic
 * prostatitis, the patient does it himself and understanding is confirmed.
 */
public final class Responses {

  public static final String QUESTIONNAIRE =
      "http://prostateed.org/fhir/Questionnaire/prostate-massage-contraindications";
  public static final String VERSION = "0.2.0";
  private static final String YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136";
  private static final String UNKNOWN = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

  private static final String[] YES_NO_ITEMS = {
    "acute-infection", "recent-acute-prostatitis", "prostate-abscess", "urinary-infection", "urinary-retention",
    "prostate-cancer", "anorectal-cancer", "proctitis-ibd", "ibd-remission", "psa-abnormal", "prostatic-calculi",
    "recent-procedure", "anorectal-disease", "anal-stenosis-prolapse", "rectal-bleeding", "bleeding-risk",
    "immunosuppression", "spinal-cord-injury", "reduced-sensation", "urinary-catheter", "latex-allergy"
  };

  private final Map<String, Coding> answers = new HashMap<>();
  private String canonical = QUESTIONNAIRE + "|" + VERSION;
  private String patient;
  private String encounter;

  private Responses() {
    for (String linkId : YES_NO_ITEMS) {
      answers.put(linkId, new Coding(YES_NO, "N", "No"));
    }
    answers.put("indication", new Coding("http://prostateed.org/fhir/CodeSystem/massage-indication",
        "chronic-prostatitis", null));
    answers.put("performer", new Coding("http://prostateed.org/fhir/CodeSystem/massage-performer", "patient", null));
    answers.put("understanding", new Coding(YES_NO, "Y", "Yes"));
  }

  public static Responses forEncounter(String patientId, String encounterId) {
    Responses responses = new Responses();
    responses.patient = "Patient/" + patientId;
    responses.encounter = "Encounter/" + encounterId;
    return responses;
  }

  public static Responses anonymous() {
    return new Responses();
  }

  public Responses yes(String... linkIds) {
    for (String linkId : linkIds) {
      answers.put(linkId, new Coding(YES_NO, "Y", "Yes"));
    }
    return this;
  }

  public Responses unknown(String... linkIds) {
    for (String linkId : linkIds) {
      answers.put(linkId, new Coding(UNKNOWN, "asked-unknown", "Don't know"));
    }
    return this;
  }

  public Responses unanswered(String... linkIds) {
    for (String linkId : linkIds) {
      answers.remove(linkId);
    }
    return this;
  }

  public Responses answer(String linkId, String system, String code) {
    answers.put(linkId, new Coding(system, code, null));
    return this;
  }

  public Responses questionnaire(String canonical) {
    this.canonical = canonical;
    return this;
  }

  public QuestionnaireResponse build() {
    QuestionnaireResponse response = new QuestionnaireResponse();
    response.setQuestionnaire(canonical);
    response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
    if (patient != null) {
      response.setSubject(new Reference(patient));
      response.setEncounter(new Reference(encounter));
      response.setAuthor(new Reference("Practitioner/demo-practitioner"));
    }
    response.setAuthoredElement(DateTimeType.now());
    answers.forEach((linkId, coding) -> response.addItem().setLinkId(linkId).addAnswer().setValue(coding));
    return response;
  }
}
