package org.prostateed.fhir;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Questionnaire;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.HandoutVersion;

/**
 * Finds the logical ids under which the content was published in the store. A published
 * {@code url|version} never moves, so ids are remembered once found.
 *
 * <p>It reads as the plugin: these are the plugin's own published content (and whether a handout
 * version was retired since), not patient data, and a remembered id must not depend on who asked
 * first.
 */
final class PublishedContent {

  private final FhirStore store;
  private final Map<String, String> ids = new ConcurrentHashMap<>();

  PublishedContent(FhirStore store) {
    this.store = store;
  }

  /** {@code Questionnaire/<id>} of the published questionnaire. */
  String questionnaireReference(ContraindicationQuestionnaire questionnaire) {
    return "Questionnaire/" + id(Questionnaire.class, questionnaire.url(), questionnaire.version());
  }

  /** {@code Library/<id>} of the published handout version. */
  String handoutReference(HandoutVersion handout) {
    return "Library/" + id(Library.class, FhirIds.handoutLibraryUrl(handout.id(), handout.language()),
        handout.version());
  }

  /** The handout version's Library as the store holds it now (its status may have been retired). */
  Library handoutLibrary(HandoutVersion handout) {
    String reference = handoutReference(handout);
    return store.read(Library.class, reference.substring("Library/".length()))
        .orElseThrow(() -> new IllegalStateException(reference + " is no longer in the FHIR store"));
  }

  private String id(Class<? extends MetadataResource> type, String url, String version) {
    String key = type.getSimpleName() + "|" + url + "|" + version;
    String known = ids.get(key);
    if (known != null) {
      return known;
    }
    String found = store.search(type, "url=" + UrlQuery.encode(url) + "&version=" + UrlQuery.encode(version))
        .stream()
        .findFirst()
        .map(resource -> resource.getIdElement().getIdPart())
        .orElseThrow(() -> new IllegalStateException(
            type.getSimpleName() + " " + url + "|" + version + " is not published in the FHIR store"));
    ids.put(key, found);
    return found;
  }
}
