package org.prostateed.fhir;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Date;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.prostateed.chart.ChartIssues;
import org.prostateed.chart.ChartQueries;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.engine.ChartPrefill;
import org.prostateed.engine.Evidence;
import org.prostateed.engine.QualifyingDiagnosisFinder;

/**
 * {@code Questionnaire/{id}/$populate} (SDC): an in-progress QuestionnaireResponse with the
 * answers the chart already holds, each answer carrying the records it rests on as
 * {@code prefill-evidence} extensions, for the clinician to confirm. The chart is read by the
 * searches the questionnaire's rules need ({@link ChartQueries}); when a search could not be read
 * to its end, SDC's {@code issues} parameter says so.
 */
final class QuestionnairePrefill {

  static final String EVIDENCE = FhirIds.BASE + "StructureDefinition/prefill-evidence";

  private final ContentLibrary library;
  private final ChartQueries queries;
  private final QualifyingDiagnosisFinder finder;
  private final ChartPrefill prefill;
  private final Clock clock;

  QuestionnairePrefill(ContentLibrary library, ChartQueries queries, Clock clock) {
    this.library = library;
    this.queries = queries;
    this.finder = new QualifyingDiagnosisFinder(library);
    this.prefill = new ChartPrefill(library);
    this.clock = clock;
  }

  /** SDC's output: {@code response}, and {@code issues} when the chart was not read whole. */
  Parameters populate(FhirStore store, String questionnaireId, String subject, String encounterId) {
    ChartReader chart = new ChartReader(store, queries);
    Questionnaire stored = store.read(Questionnaire.class, questionnaireId)
        .orElseThrow(() -> Outcomes.notFound("Questionnaire/" + questionnaireId + " does not exist"));
    ContraindicationQuestionnaire questionnaire = library.findQuestionnaire(stored.getUrl())
        .filter(q -> q.version().equals(stored.getVersion()))
        .orElseThrow(() -> Outcomes.unprocessable("Questionnaire/" + questionnaireId
            + " is not a questionnaire this plugin can pre-fill"));
    ChartReader.EncounterChart encounter = chart.load(encounterId);
    if (!encounter.patientReference().equals(subject)) {
      throw Outcomes.conflict("Encounter/" + encounterId + " is not an encounter of " + subject);
    }
    LocalDate today = LocalDate.now(clock);
    ChartReader.Records records = chart.entries(encounter, ChartReader.readBy(questionnaire.items()), today);
    Map<String, ChartPrefill.Prefilled> answers = prefill.prefill(questionnaire,
        finder.find(encounter.linkedConditions()), records.entries(), today);

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
        answer.addExtension(AnswerOrigin.auto());
      }
    }
    Parameters out = new Parameters();
    out.addParameter().setName("response").setResource(response);
    if (!records.complete()) {
      out.addParameter().setName("issues").setResource(ChartIssues.incomplete());
    }
    return out;
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
}
