package org.prostateed.cdshooks.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A card (CDS Hooks 2.0, "Card Attributes"); empty lists and nulls are left out. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CardJson(
    String uuid,
    String summary,
    String detail,
    String indicator,
    Source source,
    List<Suggestion> suggestions,
    String selectionBehavior,
    List<Coding> overrideReasons,
    List<Link> links) {

  /** The card without its suggestions (and so without a selection behaviour). */
  public CardJson withoutSuggestions() {
    return new CardJson(uuid, summary, detail, indicator, source, List.of(), null, overrideReasons, links);
  }

  /** Where the card's knowledge comes from: names the content version. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(String label, String url, Coding topic) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Coding(String system, String code, String display) {}

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Suggestion(String label, String uuid, Boolean isRecommended, List<Action> actions) {}

  /** {@code resource} is a FHIR resource as JSON. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Action(String type, String description, JsonNode resource) {}

  /** {@code type} is {@code absolute} or {@code smart}; {@code appContext} is passed to a SMART app. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Link(String label, String url, String type, String appContext) {}
}
