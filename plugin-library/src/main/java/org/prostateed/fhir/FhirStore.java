package org.prostateed.fhir;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR server the plugin reads from and writes to: the JPA store it runs inside, or an EHR's
 * FHIR API. The plugin keeps no state of its own outside it.
 */
public interface FhirStore {

  /** The current version of a resource, or empty when it does not exist or was deleted. */
  <T extends Resource> Optional<T> read(Class<T> type, String id);

  /**
   * Every match of a search, e.g. {@code search(Condition.class, "encounter=Encounter/1")}.
   * Values in the query must already be URL-encoded.
   */
  default <T extends Resource> List<T> search(Class<T> type, String query) {
    return find(type, query).resources();
  }

  /**
   * The matches of a search, and whether they are all of them: a server that pages may stop the
   * plugin reading before the last page, and a caller must then say that the chart is incomplete.
   */
  <T extends Resource> Found<T> find(Class<T> type, String query);

  /** What a search found, and whether it is everything the server matched. */
  record Found<T extends Resource>(List<T> resources, boolean complete) {
    public Found {
      resources = List.copyOf(resources);
    }
  }

  /**
   * Runs a transaction (all or nothing) or batch bundle and returns the response bundle. Its
   * entries may hold each stored resource, or its location only: callers read back what they need.
   */
  Bundle transaction(Bundle bundle);
}
