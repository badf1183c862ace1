package org.prostateed.content;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The questionnaire as the decision engine sees it; {@code json} is the FHIR resource as shipped. */
public record ContraindicationQuestionnaire(
    String id, String url, String version, String title, List<ContraindicationItem> items, String json) {

  public ContraindicationQuestionnaire {
    items = List.copyOf(items);
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
