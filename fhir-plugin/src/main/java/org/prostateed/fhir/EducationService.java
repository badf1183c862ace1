package org.prostateed.fhir;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;
import org.prostateed.engine.ContraindicationCheck;
import org.prostateed.engine.Decision;
import org.prostateed.engine.QualifyingDiagnosis;
import org.prostateed.engine.QualifyingDiagnosisFinder;

/**
 * What the plugin knows about an encounter ({@code $education}), the decision on a response
 * ({@code $evaluate}), and attaching the questionnaire Task when an encounter qualifies.
 */
final class EducationService {

  private final ContentLibrary library;
  private final QualifyingDiagnosisFinder finder;
  private final ResponseReader responses;
  private final ContraindicationCheck check;
  private final TaskAttachment tasks;
  private final ChartCheck chartCheck;
  private final Clock clock;

  EducationService(ContentLibrary library, TaskAttachment tasks, Clock clock) {
    this.library = library;
    this.finder = new QualifyingDiagnosisFinder(library);
    this.responses = new ResponseReader(library);
    this.check = new ContraindicationCheck();
    this.tasks = tasks;
    this.chartCheck = new ChartCheck(library);
    this.clock = clock;
  }

  /** Attaches a Task for every education item the encounter qualifies for; returns how many items. */
  int attach(FhirStore store, String encounterId) {
    ChartReader.EncounterChart encounter = new ChartReader(store).load(encounterId);
    List<EducationItem> items = finder.items(finder.find(encounter.linkedConditions()));
    tasks.attachAll(store, encounterId, encounter.patientReference(), items);
    return items.size();
  }

  /**
   * The decision on a response. When the response names its patient, the patient's chart is read
   * too, and an absolute contraindication it holds outweighs the answer.
   */
  Parameters evaluate(FhirStore store, QuestionnaireResponse response) {
    ResponseReader.ReadResponse read = responses.read(response);
    String subject = response.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue();
    Decision decision = subject != null && subject.startsWith("Patient/")
        ? check.decide(read.questionnaire(), read.answers(),
            chartCheck.absoluteFindings(store, read.questionnaire(), subject, LocalDate.now(clock)))
        : check.decide(read.questionnaire(), read.answers());
    return DecisionParameters.toParameters(read.questionnaire().canonical(), decision);
  }

  Parameters education(FhirStore store, String encounterId) {
    ChartReader.EncounterChart encounter = new ChartReader(store).load(encounterId);
    List<QualifyingDiagnosis> diagnoses = finder.find(encounter.linkedConditions());
    Parameters out = new Parameters();
    for (QualifyingDiagnosis diagnosis : diagnoses) {
      ParametersParameterComponent part = out.addParameter().setName("diagnosis");
      part.addPart().setName("item").setValue(new StringType(diagnosis.itemId()));
      part.addPart().setName("code").setValue(new Coding(
          diagnosis.code().system(), diagnosis.code().code(), diagnosis.code().display()));
      part.addPart().setName("source").setValue(new Reference(diagnosis.conditionReference()));
      part.addPart().setName("valueSet").setValue(new CanonicalType(diagnosis.valueSetUrl()));
      part.addPart().setName("indication").setValue(new CodeType(diagnosis.indication()));
    }
    List<QuestionnaireResponse> encounterResponses = finder.items(diagnoses).isEmpty()
        ? List.of()
        : store.search(QuestionnaireResponse.class, "encounter=Encounter/" + encounterId);
    List<DocumentReference> given = store.search(DocumentReference.class,
        "encounter=Encounter/" + encounterId + "&identifier=" + UrlQuery.encode(FhirIds.RELEASE_KEY + "|"));
    for (EducationItem item : finder.items(diagnoses)) {
      ContraindicationQuestionnaire questionnaire = library.questionnaire(item.questionnaireUrl());
      ParametersParameterComponent part = out.addParameter().setName("education");
      part.addPart().setName("item").setValue(new StringType(item.id()));
      part.addPart().setName("title").setValue(new StringType(item.title()));
      part.addPart().setName("questionnaire").setValue(new CanonicalType(questionnaire.canonical()));
      part.addPart().setName("handout").setValue(new StringType(item.handoutId()));
      tasks.find(store, encounterId, item).ifPresent(task -> {
        part.addPart().setName("task").setValue(new Reference(versionless(task)));
        part.addPart().setName("taskStatus").setValue(new CodeType(task.getStatus().toCode()));
      });
      latest(encounterResponses, questionnaire).ifPresent(response -> {
        part.addPart().setName("response").setValue(new Reference(
            "QuestionnaireResponse/" + response.getIdElement().getIdPart()));
        if (response.getStatus() == QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED) {
          try {
            ResponseReader.ReadResponse read = responses.read(response);
            DecisionParameters.addTo(part.addPart().setName("decision"),
                check.decide(read.questionnaire(), read.answers()));
          } catch (UnprocessableEntityException unusable) {
            part.addPart().setName("responseProblem").setValue(new StringType(unusable.getMessage()));
          }
        }
      });
      for (DocumentReference document : given) {
        if (item.id().equals(HandoutRelease.itemOf(document))) {
          part.addPart().setName("given").setValue(new Reference(
              "DocumentReference/" + document.getIdElement().getIdPart()));
        }
      }
    }
    return out;
  }

  private static Optional<QuestionnaireResponse> latest(
      List<QuestionnaireResponse> responses, ContraindicationQuestionnaire questionnaire) {
    return responses.stream()
        .filter(response -> response.getQuestionnaire() != null
            && response.getQuestionnaire().split("\\|")[0].equals(questionnaire.url()))
        .max(Comparator.comparing(
            (QuestionnaireResponse response) -> response.hasAuthored() ? response.getAuthored().getTime() : 0L)
            .thenComparing(response -> response.getMeta().getLastUpdated()));
  }

  private static String versionless(Task task) {
    return "Task/" + task.getIdElement().getIdPart();
  }
}
