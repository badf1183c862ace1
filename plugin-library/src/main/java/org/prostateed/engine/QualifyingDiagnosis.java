package org.prostateed.engine;

import org.prostateed.content.Coded;

/**
 * A Condition that makes an encounter qualify for an education item.
 *
 * @param itemId the education item it qualifies for
 * @param indication the {@code indication} answer it implies
 * @param code the coding that matched
 * @param conditionReference the Condition, e.g. {@code Condition/123}
 * @param valueSetUrl the qualifying value set that matched
 */
public record QualifyingDiagnosis(
    String itemId, String indication, Coded code, String conditionReference, String valueSetUrl) {}
