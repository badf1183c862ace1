package org.prostateed.engine;

/**
 * The chart record behind a pre-filled answer or a chart finding, for the clinician to see.
 *
 * @param reference e.g. {@code Condition/123}
 * @param code the matching code, as {@code system|code}, with its display when known
 * @param display what was found, e.g. "Acute prostatitis" or "6.2 ng/mL"
 * @param date when, ISO date, or null
 */
public record Evidence(String reference, String code, String display, String date) {

  public String describe() {
    return (display == null ? code : display) + (date == null ? "" : ", recorded " + date) + " (" + reference + ")";
  }
}
