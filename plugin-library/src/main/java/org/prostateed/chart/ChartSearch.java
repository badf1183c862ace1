package org.prostateed.chart;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Resource;

/**
 * One search of a patient's chart: its prefetch key, the resource type and its parameters, in one
 * shape for the store, the CDS prefetch template and the hook's own fetch.
 *
 * @param latestOnly the search asks for the newest record only ({@code _sort=-date&_count=1}): a
 *     further page is expected and not read
 */
public record ChartSearch(String key, Class<? extends Resource> type, List<Param> params, boolean latestOnly) {

  /** The placeholder a query holds for the patient's id, as CDS Hooks prefetch templates write it. */
  public static final String PATIENT = "{{context.patientId}}";
  public static final String ENCOUNTER = "{{context.encounterId}}";

  /**
   * A search parameter; {@code floor} marks a date floor, which a prefetch template cannot carry
   * (it has no date to count back from) and the store's query does.
   */
  public record Param(String name, String value, boolean floor) {
    public static Param of(String name, String value) {
      return new Param(name, value, false);
    }
  }

  public ChartSearch {
    params = List.copyOf(params);
  }

  /** The CDS Hooks prefetch template: values unencoded, no date floor. */
  public String template() {
    return typeName() + "?" + params.stream().filter(p -> !p.floor())
        .map(p -> p.name() + "=" + p.value()).collect(Collectors.joining("&"));
  }

  /** The query for one patient (and encounter), values URL-encoded, floors included. */
  public String query(String patientId, String encounterId) {
    return params.stream()
        .map(p -> p.name() + "=" + URLEncoder.encode(p.value().replace(PATIENT, patientId)
            .replace(ENCOUNTER, encounterId == null ? "" : encounterId), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  public String typeName() {
    return type.getSimpleName();
  }
}
