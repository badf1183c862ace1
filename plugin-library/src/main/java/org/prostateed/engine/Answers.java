package org.prostateed.engine;

import java.util.Map;
import java.util.Optional;
import org.prostateed.content.Coded;

/** The coded answer per linkId of one questionnaire response; absent linkIds are unanswered. */
public record Answers(Map<String, Coded> byLinkId) {

  public Answers {
    byLinkId = Map.copyOf(byLinkId);
  }

  public Optional<Coded> get(String linkId) {
    return Optional.ofNullable(byLinkId.get(linkId));
  }
}
