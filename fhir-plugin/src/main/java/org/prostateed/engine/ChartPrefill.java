package org.prostateed.engine;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.prostateed.content.CodeSet;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.LocalSettings;
import org.prostateed.content.PrefillRule;
import org.prostateed.content.Severity;
import org.prostateed.content.YesNoUnknown;

/**
 * Answers what the chart already holds, each answer with its evidence. The chart only ever says
 * "yes" (or, for the gate, the indication): a missing record never pre-fills "no", and records
 * that are not current never pre-fill anything. The rules come from the questionnaire's
 * extensions and the local settings, never from code.
 */
public final class ChartPrefill {

  /** A pre-filled answer and the records it rests on. */
  public record Prefilled(String linkId, Coded answer, List<Evidence> evidence) {}

  /** Units in which a PSA value reads directly as ng/mL. */
  private static final Set<String> NANOGRAMS_PER_MILLILITRE = Set.of("ng/mL", "ug/L", "µg/L");

  private final ContentLibrary library;

  public ChartPrefill(ContentLibrary library) {
    this.library = library;
  }

  public Map<String, Prefilled> prefill(ContraindicationQuestionnaire questionnaire,
      List<QualifyingDiagnosis> diagnoses, List<ChartEntry> chart, LocalDate today) {
    Map<String, Prefilled> answers = new LinkedHashMap<>();
    for (ContraindicationItem item : questionnaire.items()) {
      if (item.severity() == Severity.GATE) {
        indication(item, diagnoses).ifPresent(prefilled -> answers.put(item.linkId(), prefilled));
        continue;
      }
      List<Evidence> evidence = evidence(item, chart, today);
      Optional<Coded> yes = item.option(YesNoUnknown.YES.system(), YesNoUnknown.YES.code());
      if (!evidence.isEmpty() && yes.isPresent()) {
        answers.put(item.linkId(), new Prefilled(item.linkId(), yes.get(), evidence));
      }
    }
    return answers;
  }

  /**
   * The chart records that say "yes" to one item. Plain loops: this runs for every item of the
   * questionnaire on every CDS hook call.
   */
  public List<Evidence> evidence(ContraindicationItem item, List<ChartEntry> chart, LocalDate today) {
    List<Evidence> evidence = new ArrayList<>();
    LocalSettings settings = library.settings();
    for (PrefillRule rule : item.prefillRules()) {
      CodeSet set = library.codeSet(rule.valueSetUrl());
      List<ChartEntry> current = new ArrayList<>();
      for (ChartEntry entry : chart) {
        if (entry.source() == rule.source() && entry.current()) {
          current.add(entry);
        }
      }
      if (current.isEmpty()) {
        continue;
      }
      switch (rule.source()) {
        case CONDITION, ALLERGY -> current.forEach(entry -> matchingCode(set, entry)
            .ifPresent(code -> evidence.add(evidence(entry, code, code.display()))));
        case MEDICATION -> current.forEach(entry -> medication(set, entry).ifPresent(evidence::add));
        case PROCEDURE -> current.stream()
            .filter(entry -> entry.date() != null
                && !entry.date().isBefore(today.minusWeeks(settings.recentProcedureWindowWeeks())))
            .forEach(entry -> matchingCode(set, entry)
                .ifPresent(code -> evidence.add(evidence(entry, code, code.display()))));
        case OBSERVATION -> latestAboveThreshold(set, current, settings, today).ifPresent(evidence::add);
      }
    }
    return evidence;
  }

  private Optional<Prefilled> indication(ContraindicationItem item, List<QualifyingDiagnosis> diagnoses) {
    for (QualifyingDiagnosis diagnosis : diagnoses) {
      Optional<Coded> option = item.answerOptions().stream()
          .filter(candidate -> candidate.code().equals(diagnosis.indication()))
          .findFirst();
      if (option.isPresent()) {
        Coded code = diagnosis.code();
        return Optional.of(new Prefilled(item.linkId(), option.get(), List.of(new Evidence(
            diagnosis.conditionReference(), code.toString(), code.display(), null))));
      }
    }
    return Optional.empty();
  }

  private static Optional<Coded> matchingCode(CodeSet set, ChartEntry entry) {
    for (Coded code : entry.codes()) {
      if (set.contains(code.system(), code.code())) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }

  /** A medication matches by code, or by an ingredient name of the set in its text or displays. */
  private static Optional<Evidence> medication(CodeSet set, ChartEntry entry) {
    Optional<Coded> byCode = matchingCode(set, entry);
    if (byCode.isPresent()) {
      return Optional.of(evidence(entry, byCode.get(), entry.text() != null ? entry.text() : byCode.get().display()));
    }
    List<String> names = new ArrayList<>();
    if (entry.text() != null) {
      names.add(entry.text());
    }
    entry.codes().stream().map(Coded::display).filter(d -> d != null).forEach(names::add);
    for (CodeSet.Rule rule : set.rules()) {
      if (rule.display() == null || rule.display().isBlank()) {
        continue;
      }
      String ingredient = rule.display().toLowerCase(Locale.ROOT);
      for (String name : names) {
        if (containsWord(name.toLowerCase(Locale.ROOT), ingredient)) {
          return Optional.of(new Evidence(entry.reference(), rule.system() + "|" + rule.code(), name,
              entry.date() == null ? null : entry.date().toString()));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean containsWord(String text, String word) {
    int at = text.indexOf(word);
    while (at >= 0) {
      boolean startOk = at == 0 || !Character.isLetter(text.charAt(at - 1));
      int end = at + word.length();
      boolean endOk = end == text.length() || !Character.isLetter(text.charAt(end));
      if (startOk && endOk) {
        return true;
      }
      at = text.indexOf(word, at + 1);
    }
    return false;
  }

  private static Optional<Evidence> latestAboveThreshold(
      CodeSet set, List<ChartEntry> observations, LocalSettings settings, LocalDate today) {
    LocalDate from = today.minusMonths(settings.psaWindowMonths());
    return observations.stream()
        .filter(entry -> entry.date() != null && !entry.date().isBefore(from) && !entry.date().isAfter(today))
        .filter(entry -> matchingCode(set, entry).isPresent())
        .filter(entry -> entry.quantity().filter(q -> NANOGRAMS_PER_MILLILITRE.contains(q.unit())).isPresent())
        .max(Comparator.comparing(ChartEntry::date))
        .filter(latest -> latest.quantity().get().value() > settings.psaThresholdNgPerMl())
        .map(latest -> {
          ChartEntry.Quantity quantity = latest.quantity().get();
          Coded code = matchingCode(set, latest).get();
          return evidence(latest, code, String.format(Locale.ROOT, "%s %s %s",
              code.display() == null ? code.code() : code.display(), trim(quantity.value()), quantity.unit()));
        });
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }

  private static Evidence evidence(ChartEntry entry, Coded code, String display) {
    return new Evidence(entry.reference(), code.toString(), display,
        entry.date() == null ? null : entry.date().toString());
  }
}
