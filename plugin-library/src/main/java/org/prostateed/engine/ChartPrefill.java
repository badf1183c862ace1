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
 * that are not current never pre-fill anything, except where an item's rule looks back over a
 * window. The rules come from the questionnaire's extensions and the settings, never from code.
 */
public final class ChartPrefill {

  /** A pre-filled answer and the records it rests on. */
  public record Prefilled(String linkId, Coded answer, List<Evidence> evidence) {}

  /** Units in which a PSA value reads directly as ng/mL. */
  public static final Set<String> NANOGRAMS_PER_MILLILITRE = Set.of("ng/mL", "ug/L", "µg/L");

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

  /** The chart records that say "yes" to one item. */
  public List<Evidence> evidence(ContraindicationItem item, List<ChartEntry> chart, LocalDate today) {
    List<Evidence> evidence = new ArrayList<>();
    for (PrefillRule rule : item.prefillRules()) {
      CodeSet set = library.codeSet(rule.valueSetUrl());
      List<ChartEntry> records = new ArrayList<>();
      for (ChartEntry entry : chart) {
        if (entry.kind() == rule.source().records()) {
          records.add(entry);
        }
      }
      switch (rule.source()) {
        case CONDITION, ALLERGY -> records.stream().filter(ChartEntry::current)
            .forEach(entry -> matchingCode(set, entry).ifPresent(code -> evidence.add(evidence(entry, code))));
        case RECENT_CONDITION -> {
          LocalDate from = today.minusWeeks(window(item));
          records.stream()
              .filter(entry -> entry.confirmed() && (entry.current() || within(lastSeen(entry), from, today)))
              .forEach(entry -> matchingCode(set, entry).ifPresent(code -> evidence.add(evidence(entry, code))));
        }
        case MEDICATION -> records.stream().filter(ChartEntry::current)
            .forEach(entry -> medication(set, entry).ifPresent(evidence::add));
        case PROCEDURE -> {
          LocalDate from = today.minusWeeks(window(item));
          records.stream().filter(entry -> entry.current() && within(entry.date(), from, today))
              .forEach(entry -> matchingCode(set, entry).ifPresent(code -> evidence.add(evidence(entry, code))));
        }
        case OBSERVATION -> evidence.addAll(latestAboveThreshold(item, set, records, chart, today));
        case OBSERVATION_MEDICATION -> {
          // read by the OBSERVATION rule of the same item
        }
      }
    }
    return evidence;
  }

  private int window(ContraindicationItem item) {
    return library.settings().windowWeeks(item.linkId()).orElseThrow(() -> new IllegalStateException(
        "item " + item.linkId() + " has a windowed rule and no windowWeeks (the loader checks this)"));
  }

  /** When a Condition was last known to stand: its end, or else its start. */
  private static LocalDate lastSeen(ChartEntry entry) {
    return entry.ended() != null ? entry.ended() : entry.date();
  }

  private static boolean within(LocalDate date, LocalDate from, LocalDate today) {
    return date != null && !date.isBefore(from) && !date.isAfter(today);
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

  /**
   * The latest result within the window, when it is above the threshold. A medicine of the item's
   * {@code OBSERVATION_MEDICATION} set that is active changes the reading: started at least
   * {@code psaMedicationMinMonths} before the test, the result is multiplied by
   * {@code psaMedicationFactor}; started later, or at an unknown date, the result is not adjusted
   * but is flagged when the multiplied value would be above the threshold. The evidence then names
   * both values and the medicine.
   */
  private List<Evidence> latestAboveThreshold(ContraindicationItem item, CodeSet set, List<ChartEntry> observations,
      List<ChartEntry> chart, LocalDate today) {
    LocalSettings settings = library.settings();
    LocalDate from = today.minusMonths(settings.psaWindowMonths());
    Optional<ChartEntry> latest = observations.stream()
        .filter(entry -> entry.current() && within(entry.date(), from, today))
        .filter(entry -> matchingCode(set, entry).isPresent())
        .filter(entry -> entry.quantity().filter(q -> NANOGRAMS_PER_MILLILITRE.contains(q.unit())).isPresent())
        .max(Comparator.comparing(ChartEntry::date));
    if (latest.isEmpty()) {
      return List.of();
    }
    ChartEntry result = latest.get();
    ChartEntry.Quantity quantity = result.quantity().get();
    Coded code = matchingCode(set, result).get();
    String name = code.display() == null ? code.code() : code.display();
    String measured = String.format(Locale.ROOT, "%s %s %s", name, trim(quantity.value()), quantity.unit());
    double threshold = settings.psaThresholdNgPerMl();
    Optional<MedicineMatch> medicine = adjustingMedicine(item, chart);
    if (medicine.isEmpty()) {
      return quantity.value() > threshold ? List.of(evidence(result, code, measured)) : List.of();
    }
    ChartEntry drug = medicine.get().entry();
    String drugName = Optional.ofNullable(medicine.get().evidence().display()).orElse(medicine.get().evidence().code());
    double factor = settings.psaMedicationFactor();
    double adjusted = quantity.value() * factor;
    String multiplied = String.format(Locale.ROOT, "%s %s", trim(adjusted), quantity.unit());
    boolean longEnough = drug.date() != null
        && !drug.date().isAfter(result.date().minusMonths(settings.psaMedicationMinMonths()));
    Evidence drugEvidence = new Evidence(drug.reference(), medicine.get().evidence().code(),
        drugName + (drug.date() == null ? ", start date unknown" : ", since " + drug.date()),
        drug.date() == null ? null : drug.date().toString());
    if (longEnough) {
      return adjusted > threshold
          ? List.of(evidence(result, code, measured + " measured, read as " + multiplied + " (x" + trim(factor)
              + " for " + drugName + ")"), drugEvidence)
          : List.of();
    }
    if (quantity.value() > threshold) {
      return List.of(evidence(result, code, measured), drugEvidence);
    }
    return adjusted > threshold
        ? List.of(evidence(result, code, measured + " measured on " + drugName + " started less than "
            + settings.psaMedicationMinMonths() + " months before the test or at an unknown date: not adjusted;"
            + " x" + trim(factor) + " it would be " + multiplied + ", check"), drugEvidence)
        : List.of();
  }

  private record MedicineMatch(ChartEntry entry, Evidence evidence) {}

  /** An active medicine of the item's observation-adjusting value set, if the item has one. */
  private Optional<MedicineMatch> adjustingMedicine(ContraindicationItem item, List<ChartEntry> chart) {
    for (PrefillRule rule : item.prefillRules()) {
      if (rule.source() != PrefillRule.Source.OBSERVATION_MEDICATION) {
        continue;
      }
      CodeSet set = library.codeSet(rule.valueSetUrl());
      for (ChartEntry entry : chart) {
        if (entry.kind() == PrefillRule.Record.MEDICATION && entry.current()) {
          Optional<Evidence> match = medication(set, entry);
          if (match.isPresent()) {
            return Optional.of(new MedicineMatch(entry, match.get()));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static String trim(double value) {
    double rounded = Math.round(value * 100) / 100.0;
    return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.valueOf(rounded);
  }

  private static Evidence evidence(ChartEntry entry, Coded code) {
    return evidence(entry, code, code.display());
  }

  private static Evidence evidence(ChartEntry entry, Coded code, String display) {
    return new Evidence(entry.reference(), code.toString(), display,
        entry.date() == null ? null : entry.date().toString());
  }
}
