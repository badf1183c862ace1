package org.prostateed.bench;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Resource;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.Severity;
import org.prostateed.content.YesNoUnknown;
import org.prostateed.engine.Answers;
import org.prostateed.engine.ChartEntry;
import org.prostateed.engine.ChartPrefill;
import org.prostateed.engine.ContraindicationCheck;
import org.prostateed.engine.Decision;
import org.prostateed.engine.Evidence;
import org.prostateed.engine.Outcome;
import org.prostateed.engine.Reason;
import org.prostateed.chart.ChartRecords;

/**
 * Inputs of {@code decide}: the shipped questionnaire, one response and the chart findings.
 *
 * <ul>
 *   <li>{@code all-no}: every contraindication answered "no", no chart findings: ELIGIBLE, no reason.
 *   <li>{@code relative-and-absolute}: the same response with "yes" to a relative item, and the
 *       chart of demo patient {@code demo-acute} (acute prostatitis, an absolute contraindication)
 *       as chart findings: CONTRAINDICATED, with a chart reason and a REVIEW reason.
 * </ul>
 */
@State(Scope.Benchmark)
public class DecideState {

  @Param({"all-no", "relative-and-absolute"})
  public String response;

  final ContraindicationCheck check = new ContraindicationCheck();
  ContraindicationQuestionnaire questionnaire;
  Answers answers;
  Map<String, List<Evidence>> chartFindings;

  @Setup(Level.Trial)
  public void setUp() {
    ContentLibrary library = Fixtures.library();
    questionnaire = Fixtures.questionnaire(library);
    Map<String, Coded> given = Fixtures.allNo(questionnaire);
    switch (response) {
      case "all-no" -> {
        answers = new Answers(given);
        chartFindings = Map.of();
      }
      case "relative-and-absolute" -> {
        ContraindicationItem relative = Fixtures.firstYesNoItem(questionnaire, Severity.RELATIVE);
        given.put(relative.linkId(), YesNoUnknown.YES);
        answers = new Answers(given);
        chartFindings = chartFindings(library, "demo-acute");
      }
      default -> throw new IllegalStateException("unknown response '" + response + "'");
    }
    check(check.decide(questionnaire, answers, chartFindings));
  }

  /** What pre-fill finds in one demo patient's chart, per linkId, as the give path computes it. */
  private Map<String, List<Evidence>> chartFindings(ContentLibrary library, String patientId) {
    DemoChart demo = new DemoChart(FhirContext.forR4Cached());
    List<Resource> records = new ArrayList<>();
    for (String type : List.of("Condition", "Observation", "MedicationRequest", "MedicationStatement",
        "AllergyIntolerance", "Procedure")) {
      records.addAll(demo.ofPatient(type, patientId));
    }
    List<ChartEntry> entries = ChartRecords.entries(records);
    ChartPrefill prefill = new ChartPrefill(library);
    Map<String, List<Evidence>> findings = new LinkedHashMap<>();
    for (ContraindicationItem item : questionnaire.items()) {
      List<Evidence> evidence = prefill.evidence(item, entries, Fixtures.TODAY);
      if (!evidence.isEmpty()) {
        findings.put(item.linkId(), evidence);
      }
    }
    return Map.copyOf(findings);
  }

  /** Fails the run when the decision is not the one this case stands for. */
  private void check(Decision decision) {
    boolean expected = switch (response) {
      case "all-no" -> decision.outcome() == Outcome.ELIGIBLE && decision.reasons().isEmpty();
      case "relative-and-absolute" -> decision.outcome() == Outcome.CONTRAINDICATED
          && decision.reasons().stream().anyMatch(r -> r.severity() == Severity.ABSOLUTE
              && "chart".equals(r.finding()) && r.raises() == Outcome.CONTRAINDICATED && !r.evidence().isEmpty())
          && decision.reasons().stream().anyMatch(r -> r.severity() == Severity.RELATIVE
              && "yes".equals(r.finding()) && r.raises() == Outcome.REVIEW);
      default -> false;
    };
    if (!expected) {
      throw new IllegalStateException("decide(" + response + ") gave " + decision.outcome() + " "
          + decision.reasons().stream().map(DecideState::describe).toList());
    }
  }

  private static String describe(Reason reason) {
    return reason.linkId() + ":" + reason.finding() + "->" + reason.raises();
  }
}
