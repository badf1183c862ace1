package org.prostateed.fhir;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.PrefillRule;
import org.prostateed.engine.ChartPrefill;
import org.prostateed.engine.Evidence;
import org.prostateed.engine.QualifyingDiagnosisFinder;

/**
 * {@code Questionnaire/{id}/$populate} (SDC): an in-progress QuestionnaireResponse with the
 * answers the chart already holds, each answer carrying the records it rests on as
 * {@code prefill-evidence} extensions, for the clinician to confirm.
 */
final class PopulateService {

  static final String EVIDENCE = FhirIds.BASE + "StructureDefinition/prefill-evidence";

  private final ContentLibrary library;
  private final QualifyingDiagnosisFinder finder;
  private final ChartPrefill prefill;
  private final Clock clock;

  PopulateService(ContentLibrary library, Clock clock) {
    this.library = library;
    this.finder = new QualifyingDiagnosisFinder(library);
    this.prefill = new ChartPrefill(library);
    this.clock = clock;
  }

  QuestionnaireResponse populate(FhirStore store, String questionnaireId, String subject, String encounterId) {
    ChartReader chart = new ChartReader(store);
    Questionnaire stored = store.read(Questionnaire.class, questionnaireId)
        .orElseThrow(() -> new ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException(
            "Questionnaire/" + questionnaireId + " does not exist"));
    ContraindicationQuestionnaire questionnaire = library.findQuestionnaire(stored.getUrl())
        .filter(q -> q.version().equals(stored.getVersion()))
        .orElseThrow(() -> Outcomes.unprocessable("Questionnaire/" + questionnaireId
            + " is not a questionnaire this plugin can pre-fill"));
    ChartReader.EncounterChart encounter = chart.load(encounterId);
    if (!encounter.patientReference().equals(subject)) {
      throw Outcomes.conflict("Encounter/" + encounterId + " is not an encounter of " + subject);
    }
    LocalDate today = LocalDate.now(clock);
    Map<String, ChartPrefill.Prefilled> answers = prefill.prefill(questionnaire,
        finder.find(encounter.linkedConditions()),
        chart.entries(encounter, EnumSet.allOf(PrefillRule.Record.class)), today);

    QuestionnaireResponse response = new QuestionnaireResponse();
    response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS);
    response.setQuestionnaire(questionnaire.canonical());
    response.setSubject(new Reference(subject));
    response.setEncounter(new Reference("Encounter/" + encounterId));
    response.setAuthoredElement(new DateTimeType(Date.from(clock.instant())));
    for (ContraindicationItem item : questionnaire.items()) {
      QuestionnaireResponse.QuestionnaireResponseItemComponent answered =
          response.addItem().setLinkId(item.linkId()).setText(item.text());
      ChartPrefill.Prefilled found = answers.get(item.linkId());
      if (found != null) {
        QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent answer = answered.addAnswer()
            .setValue(new Coding(found.answer().system(), found.answer().code(), found.answer().display()));
        found.evidence().forEach(evidence -> answer.addExtension(evidenceExtension(evidence)));
      }
    }
    return response;
  }

  static Extension evidenceExtension(Evidence evidence) {
    Extension extension = new Extension(EVIDENCE);
    extension.addExtension("reference", new Reference(evidence.reference()));
    extension.addExtension("code", new StringType(evidence.code()));
    if (evidence.display() != null) {
      extension.addExtension("display", new StringType(evidence.display()));
    }
    if (evidence.date() != null) {
      extension.addExtension("date", new StringType(evidence.date()));
    }
    extension.addExtension("summary", new StringType("from chart: " + evidence.describe()));
    return extension;
  }

  static List<String> summaries(List<Evidence> evidence) {
    return evidence.stream().map(Evidence::describe).toList();
  }
}
