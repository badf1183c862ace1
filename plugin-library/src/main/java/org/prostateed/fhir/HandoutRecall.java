package org.prostateed.fhir;

import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.StringType;

/**
 * Retiring a handout version and the recall list: once the version's Library is retired in the
 * FHIR store, no give releases it any more (checked on every give); the list names every patient
 * and encounter that received it, from the DocumentReferences that point at it.
 */
public final class HandoutRecall {

  /** One release of the retired version: who received it, on which encounter, when. */
  public record Recipient(String patient, String encounter, String document, String date) {}

  static final String RETIRE_REASON = FhirIds.BASE + "StructureDefinition/retire-reason";

  private final FhirStore store;

  public HandoutRecall(FhirStore store) {
    this.store = store;
  }

  /** Retires the version (idempotent) and returns every recipient, oldest first. */
  public List<Recipient> retire(String handoutId, String language, String version, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a reason is required to retire a handout version");
    }
    String url = FhirIds.handoutLibraryUrl(handoutId, language);
    Library library = store.search(Library.class, "url=" + UrlQuery.encode(url) + "&version=" + UrlQuery.encode(version))
        .stream().findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no published handout " + url + "|" + version));
    if (library.getStatus() != PublicationStatus.RETIRED) {
      library.setStatus(PublicationStatus.RETIRED);
      library.addExtension(RETIRE_REASON, new StringType(reason));
      Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
      String id = library.getIdElement().getIdPart();
      bundle.addEntry().setResource(library).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Library/" + id);
      store.transaction(bundle);
    }
    return recipients(library.getIdElement().getIdPart());
  }

  /** Every release of the version held as {@code Library/<libraryId>}. */
  public List<Recipient> recipients(String libraryId) {
    return store.search(DocumentReference.class, "related=Library/" + libraryId).stream()
        .map(document -> new Recipient(
            document.getSubject().getReference(),
            document.getContext().getEncounterFirstRep().getReference(),
            "DocumentReference/" + document.getIdElement().getIdPart(),
            document.getDateElement().getValueAsString()))
        .sorted(Comparator.comparing(Recipient::date).thenComparing(Recipient::document))
        .toList();
  }
}
