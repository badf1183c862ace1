package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.prostateed.content.ContentLibrary;
import org.prostateed.handout.HandoutRenderer;

/**
 * The plugin as a library: FHIR operations and an interceptor that any HAPI {@link RestfulServer}
 * can register, over a {@link FhirStore}. The embedded server is only one host.
 *
 * <pre>{@code
 * ProstateEducationPlugin plugin = ProstateEducationPlugin.create(fhirContext, store, library, settings);
 * plugin.publishContent();
 * plugin.registerOn(restfulServer);
 * }</pre>
 */
public final class ProstateEducationPlugin {

  private final ContentLibrary library;
  private final ContentPublisher publisher;
  private final EducationService education;
  private final EducationOperations operations;
  private final EducationTrigger trigger;

  private ProstateEducationPlugin(ContentLibrary library, ContentPublisher publisher, EducationService education,
      EducationOperations operations, EducationTrigger trigger) {
    this.library = library;
    this.publisher = publisher;
    this.education = education;
    this.operations = operations;
    this.trigger = trigger;
  }

  public static ProstateEducationPlugin create(
      FhirContext fhirContext, FhirStore store, ContentLibrary library, PluginSettings settings) {
    PublishedContent published = new PublishedContent(store);
    TaskAttachment tasks = new TaskAttachment(store, library, published, settings.clock());
    EducationService education = new EducationService(store, library, tasks, settings.clock());
    HandoutRelease release = new HandoutRelease(store, library, tasks, published, HandoutRenderer.of(settings.site(), library.settings()),
        settings.allowDraft(), settings.clock());
    return new ProstateEducationPlugin(library, new ContentPublisher(fhirContext, store), education,
        new EducationOperations(fhirContext, education, release, new PopulateService(store, library, settings.clock()),
            new TeachBack(store, library, settings.clock()), store),
        new EducationTrigger(education, store));
  }

  /** Publishes the content library into the store (idempotent); returns how many artifacts changed. */
  public int publishContent() {
    return publisher.publish(library);
  }

  /**
   * Registers the operations, the Task-attaching interceptor and, for the operations only, the
   * answer to an unreachable store (503 with {@code Retry-After}) on a HAPI server.
   */
  public void registerOn(RestfulServer server) {
    server.registerProvider(operations);
    server.registerInterceptor(trigger);
    server.registerInterceptor(StoreOutage.forOperations(EducationOperations.names()));
  }

  /** Attaches the questionnaire Task(s) to an encounter if it qualifies; returns the number of items. */
  public int attach(String encounterId) {
    return education.attach(encounterId);
  }

  public ContentLibrary library() {
    return library;
  }
}
