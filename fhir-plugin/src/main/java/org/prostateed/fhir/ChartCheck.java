package org.prostateed.fhir;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.PrefillRule;
import org.prostateed.content.Severity;
import org.prostateed.engine.ChartEntry;
import org.prostateed.engine.ChartPrefill;
import org.prostateed.engine.Evidence;

/** Reads a patient's chart and finds the absolute contraindications it holds ("chart beats the form"). */
final class ChartCheck {

  private final ChartPrefill prefill;

  ChartCheck(ContentLibrary library) {
    this.prefill = new ChartPrefill(library);
  }

  /** Evidence per absolute item of the questionnaire, for items the chart answers "yes". */
  Map<String, List<Evidence>> absoluteFindings(FhirStore store,
      ContraindicationQuestionnaire questionnaire, String patientReference, LocalDate today) {
    return absoluteFindings(questionnaire, sources -> new ChartReader(store).entries(patientReference, sources), today);
  }

  /** The same, for an encounter's chart already read: its patient's Conditions are not searched again. */
  Map<String, List<Evidence>> absoluteFindings(FhirStore store,
      ContraindicationQuestionnaire questionnaire, ChartReader.EncounterChart encounter, LocalDate today) {
    return absoluteFindings(questionnaire, sources -> new ChartReader(store).entries(encounter, sources), today);
  }

  private Map<String, List<Evidence>> absoluteFindings(ContraindicationQuestionnaire questionnaire,
      Function<Set<PrefillRule.Record>, List<ChartEntry>> read,
      LocalDate today) {
    // Only the kinds of record that the absolute items' rules read: one search each.
    Set<PrefillRule.Record> sources = questionnaire.items().stream()
        .filter(item -> item.severity() == Severity.ABSOLUTE)
        .flatMap(item -> item.prefillRules().stream())
        .map(rule -> rule.source().records())
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(PrefillRule.Record.class)));
    if (sources.isEmpty()) {
      return Map.of();
    }
    List<ChartEntry> entries = read.apply(sources);
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
