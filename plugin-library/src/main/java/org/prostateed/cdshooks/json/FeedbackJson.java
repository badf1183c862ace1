package org.prostateed.cdshooks.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** {@code POST /cds-services/{id}/feedback} (CDS Hooks 2.0, "Feedback"). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FeedbackJson(List<Item> feedback) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Item(String card, String outcome, String outcomeTimestamp, List<Accepted> acceptedSuggestions,
      OverrideReason overrideReason) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Accepted(String id) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record OverrideReason(CardJson.Coding reason, String userComment) {}
}
