package org.prostateed.bench;

import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.prostateed.fhir.FhirStore;

/**
 * A FHIR store that refuses every call. The hook benchmarks give it to {@code EducationHooks} as
 * both its own store and the EHR's: with complete prefetch the hook must never reach for a store,
 * so a benchmark that did would fail in its setup check instead of measuring I/O.
 */
final class ThrowingFhirStore implements FhirStore {

  private final String name;

  ThrowingFhirStore(String name) {
    this.name = name;
  }

  @Override
  public <T extends Resource> Optional<T> read(Class<T> type, String id) {
    throw refused("read " + type.getSimpleName() + "/" + id);
  }

  @Override
  public <T extends Resource> Found<T> find(Class<T> type, String query) {
    throw refused("search " + type.getSimpleName() + "?" + query);
  }

  @Override
  public Bundle transaction(Bundle bundle) {
    throw refused("transaction");
  }

  private UnsupportedOperationException refused(String what) {
    return new UnsupportedOperationException("the benchmark must not touch a FHIR store (" + name + "): " + what);
  }
}
