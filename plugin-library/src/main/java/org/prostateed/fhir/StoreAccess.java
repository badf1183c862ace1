package org.prostateed.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * Whom a store call acts for. Inside a HAPI host every read, search and write of an operation runs
 * as the caller of that operation, so the host's authorisation, consent and partitioning apply
 * to what the plugin reads and writes ({@link #asCaller}). A few calls have no caller or must not
 * depend on one, and act as the plugin itself ({@link #asPlugin}): each such call site says why.
 */
public interface StoreAccess {

  /** The store as the caller of this request may use it. */
  FhirStore asCaller(RequestDetails caller);

  /** The store as the plugin itself: for content, bookkeeping, and calls that have no caller. */
  FhirStore asPlugin();

  /** One store for every call: beside an EHR, where the EHR's own API authorises each call. */
  static StoreAccess fixed(FhirStore store) {
    return new StoreAccess() {
      @Override
      public FhirStore asCaller(RequestDetails caller) {
        return store;
      }

      @Override
      public FhirStore asPlugin() {
        return store;
      }
    };
  }
}
