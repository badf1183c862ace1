package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import org.prostateed.chart.ChartExpressions;
import org.prostateed.chart.ChartQueries;
import org.prostateed.content.ContentLibrary;
import org.prostateed.handout.HandoutPdf;
import org.prostateed.handout.HandoutRenderer;
import org.prostateed.handout.RenderedHandouts;

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

  /** How many rendered handout texts (HTML and PDF) are kept for repeated gives of the same text. */
  private static final int RENDERED_TEXTS = 64;

  private final ContentLibrary library;
  private final ContentPublisher publisher;
  private final EncounterEducation education;
  private final List<Object> operations;
  private final EducationTrigger trigger;
  private final StoreAccess stores;

  private ProstateEducationPlugin(ContentLibrary library, ContentPublisher publisher, EncounterEducation education,
      List<Object> operations, EducationTrigger trigger, StoreAccess stores) {
    this.library = library;
    this.publisher = publisher;
    this.education = education;
    this.operations = operations;
    this.trigger = trigger;
    this.stores = stores;
  }

  public static ProstateEducationPlugin create(
      FhirContext fhirContext, StoreAccess stores, ContentLibrary library, PluginSettings settings) {
    // The plugin's published content (its Questionnaires, handout Binaries) is looked up as the
    // plugin: it belongs to no patient, and a caller needs no right to read the plugin's own records.
    PublishedContent published = new PublishedContent(stores.asPlugin());
    TaskAttachment tasks = new TaskAttachment(library, published, settings.clock());
    ChartQueries queries = new ChartQueries(library);
    // A renderer pre-fills from the questionnaire's own expressions: they must say what $populate does.
    ChartExpressions.requireCurrent(library);
    HandoutRenderer renderer = HandoutRenderer.of(settings.site(), library.settings());
    HandoutToGive handouts = new HandoutToGive(library, settings.allowDraft(), published);
    EncounterEducation education = new EncounterEducation(library, queries, tasks);
    EducationOperations.UseCases cases = new EducationOperations.UseCases(
        education,
        new ResponseEvaluation(library, queries, settings.clock()),
        new QuestionnairePrefill(library, queries, settings.clock()),
        new HandoutPreview(library, queries, handouts, renderer, settings.clock()),
        new HandoutGive(library, queries, handouts, tasks, new ReleaseRecords(tasks, published, settings.clock()),
            new RenderedHandouts(renderer, new HandoutPdf()::pdf, RENDERED_TEXTS), settings.allowDraft(),
            settings.clock()),
        new TeachBack(library, settings.clock()));
    // Publishing acts as the plugin: the content belongs to no patient, and it is published at
    // start-up, before any caller.
    return new ProstateEducationPlugin(library, new ContentPublisher(fhirContext, stores.asPlugin()), education,
        EducationOperations.providers(fhirContext, cases, stores), new EducationTrigger(education, stores.asPlugin()),
        stores);
  }

  /** Publishes the content library into the store (idempotent); returns how many artifacts changed. */
  public int publishContent() {
    return publisher.publish(library);
  }

  /**
   * Registers the operations, the answer to the plugin's refusals (4xx with an OperationOutcome),
   * the Task-attaching interceptor and, for the operations only, the answer to an unreachable
   * store (503 with {@code Retry-After}) on a HAPI server.
   */
  public void registerOn(RestfulServer server) {
    server.registerProviders(operations);
    server.registerInterceptor(new RequestProblems());
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
