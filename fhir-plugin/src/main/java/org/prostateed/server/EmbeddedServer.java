package org.prostateed.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Questionnaire;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.fhir.DaoFhirStore;
import org.prostateed.fhir.FhirStore;
import org.prostateed.fhir.PluginSettings;
import org.prostateed.fhir.ProstateEducationPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The composition root of the embedded default: a full HAPI JPA FHIR server at {@code /fhir} with
 * the plugin installed, the plugin's own endpoints beside it, served by Jetty.
 */
public final class EmbeddedServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

  private final AnnotationConfigApplicationContext spring;
  private final Server jetty;
  private final ProstateEducationPlugin plugin;

  private EmbeddedServer(AnnotationConfigApplicationContext spring, Server jetty, ProstateEducationPlugin plugin) {
    this.spring = spring;
    this.jetty = jetty;
    this.plugin = plugin;
  }

  public static EmbeddedServer start(ServerSettings settings) throws Exception {
    long started = System.nanoTime();
    ObjectMapper json = new ObjectMapper();
    ContentLoader loader = new ContentLoader(json);
    ContentLibrary library = settings.contentDir().map(loader::load).orElseGet(loader::loadPackaged);

    AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext();
    try {
      spring.registerBean(StoreSettings.class, settings::store);
      spring.register(JpaServerConfig.class);
      spring.refresh();
      FhirContext fhirContext = spring.getBean(FhirContext.class);
      @SuppressWarnings("unchecked")
      IFhirSystemDao<Bundle, ?> systemDao = spring.getBean(IFhirSystemDao.class);
      FhirStore store = new DaoFhirStore(
          fhirContext, spring.getBean(DaoRegistry.class), systemDao, spring.getBean(MatchUrlService.class));

      ProstateEducationPlugin plugin = ProstateEducationPlugin.create(fhirContext, store, library,
          settings.demo() ? PluginSettings.demo() : PluginSettings.production());
      plugin.publishContent();
      if (settings.demo()) {
        log.warn("demo mode: demo patients are loaded and draft content may be given; never use in production");
        DemoData.load(fhirContext, store, plugin);
      }

      RestfulServer fhirServer = new RestfulServer(fhirContext);
      fhirServer.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
      fhirServer.registerProvider(spring.getBean(JpaSystemProvider.class));
      fhirServer.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
      fhirServer.setDefaultPrettyPrint(false);
      plugin.registerOn(fhirServer);

      String firstQuestionnaire = library.questionnaires().get(0).url();
      BooleanSupplier storeAnswers = () -> {
        try {
          return !store.search(Questionnaire.class, "url=" + java.net.URLEncoder.encode(
              firstQuestionnaire, java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
        } catch (RuntimeException e) {
          return false;
        }
      };
      HealthResource health = new HealthResource(library.items().size() + " education item(s), "
          + library.handouts().size() + " handout version(s)", storeAnswers);
      ResourceConfig endpoints = new ResourceConfig()
          .register(JacksonFeature.class)
          .register(HealthResource.class)
          .register(new AbstractBinder() {
            @Override
            protected void configure() {
              bind(health).to(HealthResource.class);
            }
          });

      Server jetty = new Server();
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost(settings.host());
      connector.setPort(settings.port());
      jetty.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      context.addServlet(new ServletHolder("fhir", fhirServer), "/fhir/*");
      context.addServlet(new ServletHolder("endpoints", new ServletContainer(endpoints)), "/*");
      jetty.setHandler(context);
      jetty.start();
      log.info("ready at http://{}:{}/fhir in {} ms", settings.host(), connector.getLocalPort(),
          (System.nanoTime() - started) / 1_000_000);
      return new EmbeddedServer(spring, jetty, plugin);
    } catch (Exception | Error e) {
      spring.close();
      throw e;
    }
  }

  public int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  public ProstateEducationPlugin plugin() {
    return plugin;
  }

  /** Blocks until the server is stopped. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  @Override
  public void close() throws Exception {
    try {
      jetty.stop();
    } finally {
      spring.close();
    }
  }
}
