package org.prostateed.engine;

import org.prostateed.content.Severity;

/**
 * One finding behind a decision: the item, its severity, its rationale and what was found.
 *
 * @param finding what about the answer raised it: {@code yes}, {@code unknown}, {@code missing},
 *     {@code blocking-answer}, {@code not-as-required}
 */
public record Reason(String linkId, Severity severity, String rationale, String finding, Outcome raises) {}
