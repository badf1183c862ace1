package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.prostateed.content.ContentLibrary;
import org.prostateed.handout.HandoutRenderer;

/**
 * The plugin as a library: FHIR operations and an interceptor that any HAPI {@link RestfulServer}
 * can register, over the host's store ({@link StoreAccess}: as each operation's caller, or as the
 * plugin where the code says why). The embedded server is only one host.
 *
 * <pre>{@code
 * StoreAccess stores = new HapiHostAccess(fhirContext, daoRegistry, systemDao, matchUrlService);
 * ProstateEducationPlugin plugin = ProstateEducationPlugin.create(fhirContext, stores, library, settings);
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
  private final StoreAccess stores;

  private ProstateEducationPlugin(ContentLibrary library, ContentPublisher publisher, EducationService education,
      EducationOperations operations, EducationTrigger trigger, StoreAccess stores) {
    this.library = library;
    this.publisher = publisher;
    this.education = education;
    this.operations = operations;
    this.trigger = trigger;
    this.stores = stores;
  }

  public static ProstateEducationPlugin create(
      FhirContext fhirContext, StoreAccess stores, ContentLibrary library, PluginSettings settings) {
    PublishedContent published = new PublishedContent(stores.asPlugin());
    TaskAttachment tasks = new TaskAttachment(library, published, settings.clock());
    EducationService education = new EducationService(library, tasks, settings.clock());
    HandoutRelease release = new HandoutRelease(library, tasks, published, HandoutRenderer.of(settings.site(), library.settings()),
        settings.allowDraft(), settings.clock());
    // Publishing acts as the plugin: the content belongs to no patient, and it is published at
    // start-up, before any caller.
    return new ProstateEducationPlugin(library, new ContentPublisher(fhirContext, stores.asPlugin()), education,
        new EducationOperations(fhirContext, education, release, new PopulateService(library, settings.clock()),
            new TeachBack(library, settings.clock()), stores),
        new EducationTrigger(education, stores.asPlugin()), stores);
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

  /**
   * Attaches the questionnaire Task(s) to an encounter if it qualifies, as the plugin (the demo
   * loader's and a host's own bookkeeping); returns the number of items.
   */
  public int attach(String encounterId) {
    return education.attach(stores.asPlugin(), encounterId);
  }

  public ContentLibrary library() {
    return library;
  }
}
