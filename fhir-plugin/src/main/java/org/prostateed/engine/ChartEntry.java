package org.prostateed.engine;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.prostateed.content.Coded;
import org.prostateed.content.PrefillRule;

/**
 * A record from the chart as pre-fill sees it.
 *
 * @param current whether the record stands now: the adapter clears it for resolved, refuted,
 *     entered-in-error, stopped or not-done records, which never pre-fill "yes"
 * @param text free text (medication name) matched against ingredient names, or null
 * @param date when it was recorded, observed, done or written, or null when unknown
 * @param quantity a measured value (observations), if any
 */
public record ChartEntry(
    PrefillRule.Source source,
    String reference,
    List<Coded> codes,
    String text,
    boolean current,
    LocalDate date,
    Optional<Quantity> quantity) {

  public ChartEntry {
    codes = List.copyOf(codes);
  }

  /** A measured value and its UCUM unit. */
  public record Quantity(double value, String unit) {}
}
