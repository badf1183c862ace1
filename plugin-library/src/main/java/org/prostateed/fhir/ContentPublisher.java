package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.RelatedArtifact;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.prostateed.content.ContentLoader;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.HandoutVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the content library into a FHIR store, once per canonical {@code url|version}: publishing
 * again changes nothing. A draft whose text changed without a new version is updated in place;
 * an active or retired version never changes (a new version must be made).
 */
public final class ContentPublisher {

  private static final Logger log = LoggerFactory.getLogger(ContentPublisher.class);

  private final FhirContext fhirContext;
  private final FhirStore store;

  public ContentPublisher(FhirContext fhirContext, FhirStore store) {
    this.fhirContext = fhirContext;
    this.store = store;
  }

  /** Publishes everything; returns how many artifacts were created or updated. */
  public int publish(ContentLibrary library) {
    IParser parser = fhirContext.newJsonParser();
    List<MetadataResource> artifacts = new ArrayList<>();
    library.codeSystemsJson().forEach(json -> artifacts.add(parser.parseResource(CodeSystem.class, json)));
    library.codeSets().forEach(set -> artifacts.add(parser.parseResource(ValueSet.class, set.json())));
    library.questionnaires().forEach(q -> artifacts.add(parser.parseResource(Questionnaire.class, q.json())));
    library.handouts().forEach(handout -> artifacts.add(toLibrary(handout)));
    int changed = 0;
    for (MetadataResource artifact : artifacts) {
      if (publish(artifact)) {
        changed++;
      }
    }
    log.info("content published: {} artifacts, {} created or updated", artifacts.size(), changed);
    return changed;
  }

  private boolean publish(MetadataResource artifact) {
    String hash = sha256(fhirContext.newJsonParser().encodeResourceToString(artifact));
    artifact.addExtension(FhirIds.CONTENT_SHA256, new StringType(hash));
    String match = "url=" + UrlQuery.encode(artifact.getUrl()) + "&version=" + UrlQuery.encode(artifact.getVersion());
    List<? extends MetadataResource> existing = store.search(artifact.getClass(), match);
    if (existing.isEmpty()) {
      artifact.setId((String) null);
      Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
      bundle.addEntry().setResource(artifact).getRequest()
          .setMethod(Bundle.HTTPVerb.POST).setUrl(artifact.fhirType()).setIfNoneExist(match);
      try {
        store.transaction(bundle);
      } catch (ResourceVersionConflictException publishedByAnotherInstance) {
        return false;
      }
      return true;
    }
    MetadataResource current = existing.get(0);
    Optional<String> currentHash = Optional.ofNullable(current.getExtensionByUrl(FhirIds.CONTENT_SHA256))
        .map(ext -> ext.getValue().primitiveValue());
    if (currentHash.filter(hash::equals).isPresent()) {
      return false;
    }
    if (current.getStatus() != PublicationStatus.DRAFT) {
      throw new IllegalStateException(artifact.fhirType() + " " + artifact.getUrl() + "|" + artifact.getVersion()
          + " is published as " + current.getStatus().toCode()
          + " with other content: give the changed content a new version");
    }
    artifact.setId(current.getIdElement().getIdPart());
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().setResource(artifact).getRequest()
        .setMethod(Bundle.HTTPVerb.PUT).setUrl(artifact.fhirType() + "/" + current.getIdElement().getIdPart());
    store.transaction(bundle);
    return true;
  }

  /** A handout version as a FHIR Library: its Markdown source, status and review date. */
  static Library toLibrary(HandoutVersion handout) {
    Library library = new Library();
    library.setUrl(FhirIds.handoutLibraryUrl(handout.id(), handout.language()));
    library.setVersion(handout.version());
    library.setName("Handout_" + handout.id().replace('-', '_') + "_" + handout.language());
    library.setTitle(handout.title());
    library.setLanguage(handout.language());
    library.setStatus(PublicationStatus.fromCode(handout.status().code()));
    library.setType(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/library-type", "asset-collection", "Asset Collection")));
    library.setEffectivePeriod(new Period().setEndElement(new DateTimeType(handout.reviewDue().toString())));
    library.addRelatedArtifact().setType(RelatedArtifact.RelatedArtifactType.DERIVEDFROM)
        .setDisplay(handout.source() + " (unvetted source)");
    for (String evidence : handout.evidence()) {
      library.addRelatedArtifact().setType(RelatedArtifact.RelatedArtifactType.CITATION).setCitation(evidence);
    }
    library.addIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:sha256:" + handout.sha256());
    library.addContent(new Attachment()
        .setContentType("text/markdown; charset=utf-8")
        .setLanguage(handout.language())
        .setTitle(handout.title())
        .setData(handout.fileBytes())
        .setSize(handout.fileBytes().length));
    return library;
  }

  private static String sha256(String text) {
    return ContentLoader.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
