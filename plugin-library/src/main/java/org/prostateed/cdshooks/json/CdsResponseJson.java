package org.prostateed.cdshooks.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The hook's answer: zero or more cards, and the actions the service asks the EHR to take itself
 * ({@code systemActions}, CDS Hooks 2.0), left out when there are none.
 */
public record CdsResponseJson(
    List<CardJson> cards,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CardJson.Action> systemActions) {

  public CdsResponseJson(List<CardJson> cards) {
    this(cards, List.of());
  }
}
