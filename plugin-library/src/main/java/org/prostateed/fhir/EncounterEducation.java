package org.prostateed.fhir;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.prostateed.chart.ChartIssues;
import org.prostateed.chart.ChartQueries;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;
import org.prostateed.engine.ContraindicationCheck;
import org.prostateed.engine.QualifyingDiagnosis;
import org.prostateed.engine.QualifyingDiagnosisFinder;

/**
 * {@code $education}: what the plugin knows about an encounter (its qualifying diagnoses, the
 * education items, their Task, the latest check and its decision, the handouts given), and the
 * attachment of the questionnaire Task when an encounter qualifies.
 */
final class EncounterEducation {

  private final ContentLibrary library;
  private final ChartQueries queries;
  private final QualifyingDiagnosisFinder finder;
  private final ResponseReader responses;
  private final ContraindicationCheck check = new ContraindicationCheck();
  private final TaskAttachment tasks;

  EncounterEducation(ContentLibrary library, ChartQueries queries, TaskAttachment tasks) {
    this.library = library;
    this.queries = queries;
    this.finder = new QualifyingDiagnosisFinder(library);
    this.responses = new ResponseReader(library);
    this.tasks = tasks;
  }

  /** Attaches a Task for every education item the encounter qualifies for; returns how many items. */
  int attach(FhirStore store, String encounterId) {
    ChartReader.EncounterChart encounter = new ChartReader(store, queries).load(encounterId);
    List<EducationItem> items = finder.items(finder.find(encounter.linkedConditions()));
    tasks.attachAll(store, encounterId, encounter.patientReference(), items);
    return items.size();
  }

  Parameters education(FhirStore store, String encounterId) {
    ChartReader.EncounterChart encounter = new ChartReader(store, queries).load(encounterId);
    List<QualifyingDiagnosis> diagnoses = finder.find(encounter.linkedConditions());
    List<EducationItem> items = finder.items(diagnoses);
    Parameters out = new Parameters();
    diagnoses.forEach(diagnosis -> diagnosis(out.addParameter().setName("diagnosis"), diagnosis));
    String encounterRef = "Encounter/" + encounterId;
    List<QuestionnaireResponse> checks = items.isEmpty() ? List.of()
        : store.search(QuestionnaireResponse.class, "encounter=" + encounterRef + "&questionnaire=" + UrlQuery.encode(
            items.stream().map(EducationItem::questionnaireUrl).distinct().collect(Collectors.joining(","))));
    List<DocumentReference> given = store.search(DocumentReference.class,
        "encounter=" + encounterRef + "&identifier=" + UrlQuery.encode(FhirIds.RELEASE_KEY + "|"));
    for (EducationItem item : items) {
      ContraindicationQuestionnaire questionnaire = library.questionnaire(item.questionnaireUrl());
      ParametersParameterComponent part = out.addParameter().setName("education");
      part.addPart().setName("item").setValue(new StringType(item.id()));
      part.addPart().setName("title").setValue(new StringType(item.title()));
      part.addPart().setName("questionnaire").setValue(new CanonicalType(questionnaire.canonical()));
      part.addPart().setName("handout").setValue(new StringType(item.handoutId()));
      tasks.find(store, encounterId, item).ifPresent(task -> {
        part.addPart().setName("task").setValue(new Reference("Task/" + task.getIdElement().getIdPart()));
        part.addPart().setName("taskStatus").setValue(new CodeType(task.getStatus().toCode()));
      });
      latest(checks, questionnaire).ifPresent(response -> latestCheck(part, response));
      given.stream().filter(document -> item.id().equals(ReleaseRecords.itemOf(document)))
          .forEach(document -> part.addPart().setName("given")
              .setValue(new Reference("DocumentReference/" + document.getIdElement().getIdPart())));
    }
    if (!encounter.complete()) {
      out.addParameter().setName("issues").setResource(ChartIssues.incomplete());
    }
    return out;
  }

  private static void diagnosis(ParametersParameterComponent part, QualifyingDiagnosis diagnosis) {
    part.addPart().setName("item").setValue(new StringType(diagnosis.itemId()));
    part.addPart().setName("code").setValue(new Coding(
        diagnosis.code().system(), diagnosis.code().code(), diagnosis.code().display()));
    part.addPart().setName("source").setValue(new Reference(diagnosis.conditionReference()));
    part.addPart().setName("valueSet").setValue(new CanonicalType(diagnosis.valueSetUrl()));
    part.addPart().setName("indication").setValue(new CodeType(diagnosis.indication()));
  }

  /** The latest check and, when it is completed and readable, its decision from the answers. */
  private void latestCheck(ParametersParameterComponent part, QuestionnaireResponse response) {
    part.addPart().setName("response").setValue(new Reference(
        "QuestionnaireResponse/" + response.getIdElement().getIdPart()));
    if (response.getStatus() != QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED) {
      return;
    }
    try {
      ResponseReader.ReadResponse read = responses.read(response);
      DecisionParameters.addTo(part.addPart().setName("decision"), check.decide(read.questionnaire(), read.answers()));
    } catch (RequestProblem unusable) {
      part.addPart().setName("responseProblem").setValue(new StringType(unusable.getMessage()));
    }
  }

  private static Optional<QuestionnaireResponse> latest(List<QuestionnaireResponse> responses,
      ContraindicationQuestionnaire questionnaire) {
    return responses.stream()
        .filter(response -> response.getQuestionnaire() != null
            && response.getQuestionnaire().split("\\|")[0].equals(questionnaire.url()))
        .max(Comparator.comparing(
            (QuestionnaireResponse response) -> response.hasAuthored() ? response.getAuthored().getTime() : 0L)
            .thenComparing(response -> response.getMeta().getLastUpdated(),
                Comparator.nullsFirst(Comparator.naturalOrder())));
  }

}
