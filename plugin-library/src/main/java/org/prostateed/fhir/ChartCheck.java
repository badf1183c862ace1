package org.prostateed.fhir;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prostateed.chart.ChartQueries;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.PrefillRule;
import org.prostateed.content.Severity;
import org.prostateed.engine.ChartEntry;
import org.prostateed.engine.ChartPrefill;
import org.prostateed.engine.Evidence;

/** The absolute contraindications a patient's chart holds ("chart beats the form"). */
final class ChartCheck {

  private final ChartPrefill prefill;
  private final ChartQueries queries;

  ChartCheck(ContentLibrary library, ChartQueries queries) {
    this.prefill = new ChartPrefill(library);
    this.queries = queries;
  }

  /** Evidence per absolute item the patient's chart answers "yes", reading only what those items' rules read. */
  Map<String, List<Evidence>> absoluteFindings(FhirStore store, ContraindicationQuestionnaire questionnaire,
      String patientReference, LocalDate today) {
    return findings(questionnaire, new ChartReader(store, queries).entries(patientReference, kinds(questionnaire),
        today).entries(), today);
  }

  /** The same, for an encounter's chart already read: its patient's Conditions are not searched again. */
  Map<String, List<Evidence>> absoluteFindings(FhirStore store, ContraindicationQuestionnaire questionnaire,
      ChartReader.EncounterChart encounter, LocalDate today) {
    return findings(questionnaire, new ChartReader(store, queries).entries(encounter, kinds(questionnaire),
        today).entries(), today);
  }

  private static Set<PrefillRule.Record> kinds(ContraindicationQuestionnaire questionnaire) {
    return ChartReader.readBy(questionnaire.items().stream()
        .filter(item -> item.severity() == Severity.ABSOLUTE).toList());
  }

  private Map<String, List<Evidence>> findings(ContraindicationQuestionnaire questionnaire, List<ChartEntry> entries,
      LocalDate today) {
    Map<String, List<Evidence>> findings = new LinkedHashMap<>();
    for (ContraindicationItem item : questionnaire.items()) {
      if (item.severity() == Severity.ABSOLUTE) {
        List<Evidence> evidence = prefill.evidence(item, entries, today);
        if (!evidence.isEmpty()) {
          findings.put(item.linkId(), evidence);
        }
      }
    }
    return findings;
  }
}
