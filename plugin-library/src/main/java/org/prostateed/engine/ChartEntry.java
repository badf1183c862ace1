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
 * @param confirmed whether the record may be believed at all: cleared for refuted, unconfirmed
 *     and entered-in-error records. A resolved Condition is confirmed but not current, and counts
 *     for rules with a window
 * @param text free text (medication name) matched against ingredient names, or null
 * @param date when it was recorded, started, observed, done or written, or null when unknown
 * @param ended when a Condition abated, or null
 * @param quantity a measured value (observations), if any
 */
public record ChartEntry(
    PrefillRule.Record kind,
    String reference,
    List<Coded> codes,
    String text,
    boolean current,
    boolean confirmed,
    LocalDate date,
    LocalDate ended,
    Optional<Quantity> quantity) {

  public ChartEntry {
    codes = List.copyOf(codes);
  }

  /** A measured value and its UCUM unit. */
  public record Quantity(double value, String unit) {}
}
