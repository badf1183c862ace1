package org.prostateed.content;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The questionnaire as the decision engine sees it; {@code json} is the FHIR resource as shipped.
 *
 * @param ruleOutReasons what a clinician may record as done today to rule out an absolute item
 *     answered "don't know" (the concepts of the code system the questionnaire names)
 */
public record ContraindicationQuestionnaire(
    String id,
    String url,
    String version,
    String title,
    List<ContraindicationItem> items,
    List<Coded> ruleOutReasons,
    String json) {

  public ContraindicationQuestionnaire {
    items = List.copyOf(items);
    ruleOutReasons = List.copyOf(ruleOutReasons);
  }

  public Optional<ContraindicationItem> item(String linkId) {
    return items.stream().filter(item -> item.linkId().equals(linkId)).findFirst();
  }

  public Map<String, ContraindicationItem> itemsByLinkId() {
    Map<String, ContraindicationItem> byLinkId = new LinkedHashMap<>();
    items.forEach(item -> byLinkId.put(item.linkId(), item));
    return byLinkId;
  }

  /** The canonical reference with version, {@code url|version}. */
  public String canonical() {
    return url + "|" + version;
  }
}
