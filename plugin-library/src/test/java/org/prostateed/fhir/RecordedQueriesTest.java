package org.prostateed.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.prostateed.chart.ChartIssues;
import org.prostateed.chart.ChartQueries;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.ShippedContent;

/**
 * Every query the operations send, recorded. Issue 23: "every store read is the narrowest search
 * the rules need": a search names its patient or encounter, coded records are searched by the
 * content's codes, the latest observation alone is asked for, medicines by status, responses by
 * the questionnaire's url. A store that serves everything it is asked for shows that no answer
 * depends on the store filtering more than it was asked to.
 */
class RecordedQueriesTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T09:00:00Z"), ZoneOffset.UTC);
  private static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";

  private final ContentLibrary library = ShippedContent.library();
  private final ContraindicationQuestionnaire questionnaire = ShippedContent.questionnaire();
  private final ChartQueries queries = new ChartQueries(library);
  private RecordingStore store;

  @BeforeEach
  void chart() {
    store = new RecordingStore();
    Encounter encounter = new Encounter();
    encounter.setId("e1");
    encounter.setSubject(new Reference("Patient/p1"));
    encounter.addDiagnosis().setCondition(new Reference("Condition/dx"));
    Condition diagnosis = condition("dx", "p1", "N41.1");
    // Another patient's Condition that names the encounter is never linked to it.
    Condition stranger = condition("other", "p2", "N40.0");
    stranger.setEncounter(new Reference("Encounter/e1"));
    Questionnaire stored = new Questionnaire();
    stored.setId("q1");
    stored.setUrl(questionnaire.url());
    stored.setVersion(questionnaire.version());
    store.add(encounter, diagnosis, stranger, stored);
  }

  private static Condition condition(String id, String patient, String code) {
    Condition condition = new Condition();
    condition.setId(id);
    condition.setSubject(new Reference("Patient/" + patient));
    condition.setCode(new CodeableConcept(new Coding(ICD, code, null)));
    return condition;
  }

  @Test
  void educationSearchesNarrowlyAndLinksOnlyThePatientsOwnConditions() {
    TaskAttachment tasks = new TaskAttachment(library, new PublishedContent(store), CLOCK);
    Parameters education = new EncounterEducation(library, queries, tasks).education(store, "e1");

    assertThat(education.getParameter().stream().filter(p -> p.getName().equals("diagnosis"))
        .flatMap(p -> p.getPart().stream()).filter(part -> part.getName().equals("source"))
        .map(part -> ((Reference) part.getValue()).getReference()))
        .containsExactly("Condition/dx");
    assertThat(education.getParameter("issues")).as("the store read every search whole").isNull();
    assertThat(store.searches).extracting(Search::type)
        .containsExactlyInAnyOrder("Condition", "QuestionnaireResponse", "DocumentReference", "Task");
    store.searches.forEach(this::assertNarrow);
  }

  @Test
  void populateReadsOnlyTheKindsItsRulesNeedEachByItsNarrowSearch() {
    Parameters out = new QuestionnairePrefill(library, queries, CLOCK).populate(store, "q1", "Patient/p1", "e1");

    assertThat(out.getParameter("response").getResource()).isInstanceOf(QuestionnaireResponse.class);
    assertThat(store.searches).extracting(Search::type).containsExactlyInAnyOrder("Condition", "Observation",
        "MedicationRequest", "MedicationStatement", "AllergyIntolerance", "Procedure");
    store.searches.forEach(this::assertNarrow);
    assertThat(store.searches).filteredOn(search -> search.type().equals("Observation")).singleElement()
        .satisfies(search -> assertThat(search.params().get("date")).as("the PSA window's floor")
            .isEqualTo("ge" + CLOCK.instant().atZone(ZoneOffset.UTC).toLocalDate()
                .minusMonths(library.settings().psaWindowMonths())));
  }

  @Test
  void evaluateReadsOnlyWhatTheAbsoluteItemsRead() {
    QuestionnaireResponse response = new QuestionnaireResponse();
    response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
    response.setQuestionnaire(questionnaire.canonical());
    response.setSubject(new Reference("Patient/p1"));
    new ResponseEvaluation(library, queries, CLOCK).evaluate(store, response);

    assertThat(store.searches).isNotEmpty();
    store.searches.forEach(this::assertNarrow);
  }

  @Test
  void aServerThatStopsBeforeTheLastPageMakesEducationAndPopulateSaySo() {
    store.incomplete = true;
    TaskAttachment tasks = new TaskAttachment(library, new PublishedContent(store), CLOCK);

    Parameters education = new EncounterEducation(library, queries, tasks).education(store, "e1");
    Parameters populated = new QuestionnairePrefill(library, queries, CLOCK).populate(store, "q1", "Patient/p1", "e1");

    for (Parameters out : List.of(education, populated)) {
      assertThat(out.getParameter("issues")).isNotNull();
      org.hl7.fhir.r4.model.OperationOutcome outcome =
          (org.hl7.fhir.r4.model.OperationOutcome) out.getParameter("issues").getResource();
      assertThat(outcome.getIssueFirstRep().getSeverity())
          .isEqualTo(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.WARNING);
      assertThat(outcome.getIssueFirstRep().getDiagnostics()).isEqualTo(ChartIssues.INCOMPLETE);
    }
  }

  /** The rule quoted in the class comment, for one search. */
  private void assertNarrow(Search search) {
    Map<String, String> params = search.params();
    assertThat(params.containsKey("patient") || params.containsKey("subject") || params.containsKey("encounter")
        || params.containsKey("identifier") || params.containsKey("url")).as(search.toString()).isTrue();
    switch (search.type()) {
      case "Condition", "AllergyIntolerance", "Procedure" -> {
        assertThat(params).as(search.toString()).containsKey("patient");
        assertThat(params.get("code")).as(search.toString()).isNotBlank();
      }
      case "Observation" -> {
        assertThat(params.get("code")).as(search.toString()).isNotBlank();
        assertThat(params).as(search.toString()).containsEntry("_sort", "-date").containsEntry("_count", "1")
            .containsKey("status").containsKey("date");
      }
      case "MedicationRequest", "MedicationStatement" ->
          assertThat(params.get("status")).as(search.toString()).startsWith("active");
      case "QuestionnaireResponse" -> assertThat(params).as(search.toString())
          .containsEntry("questionnaire", questionnaire.url()).containsEntry("encounter", "Encounter/e1");
      case "DocumentReference", "Task" -> assertThat(params.get("identifier")).as(search.toString()).isNotBlank();
      case "Questionnaire" -> assertThat(params).as(search.toString()).containsKey("url");
      default -> throw new AssertionError("the plugin searched " + search);
    }
  }

  private record Search(String type, Map<String, String> params) {
    @Override
    public String toString() {
      return type + "?" + params.keySet();
    }
  }

  /** Serves every stored resource of the type searched for, and records the search. */
  private static final class RecordingStore implements FhirStore {
    private final List<Resource> resources = new ArrayList<>();
    private final List<Search> searches = new ArrayList<>();
    private boolean incomplete;

    void add(Resource... added) {
      resources.addAll(List.of(added));
    }

    @Override
    public <T extends Resource> Optional<T> read(Class<T> type, String id) {
      return resources.stream().filter(type::isInstance).map(type::cast)
          .filter(resource -> resource.getIdElement().getIdPart().equals(id)).findFirst();
    }

    @Override
    public <T extends Resource> Found<T> find(Class<T> type, String query) {
      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        assertThat(params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8))).as(query).isNull();
      }
      searches.add(new Search(type.getSimpleName(), params));
      return new Found<>(resources.stream().filter(type::isInstance).map(type::cast).toList(), !incomplete);
    }

    @Override
    public Bundle transaction(Bundle bundle) {
      throw new AssertionError("reading writes nothing");
    }
  }
}
