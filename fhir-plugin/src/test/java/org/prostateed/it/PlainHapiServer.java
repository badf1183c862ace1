package org.prostateed.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.Bundle;
import org.prostateed.content.ContentLoader;
import org.prostateed.fhir.HapiHostAccess;
import org.prostateed.fhir.PluginSettings;
import org.prostateed.fhir.ProstateEducationPlugin;
import org.prostateed.server.JpaServerConfig;
import org.prostateed.server.StoreSettings;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * A HAPI JPA FHIR server that is not ours, built here from HAPI's own classes: it plays the EHR
 * beside which the plugin runs, or, with the plugin registered the way the README tells a HAPI
 * site to, the drop-in host.
 */
final class PlainHapiServer implements AutoCloseable {

  private final AnnotationConfigApplicationContext spring;
  private final Server jetty;
  private final RestfulServer server;

  private PlainHapiServer(AnnotationConfigApplicationContext spring, Server jetty, RestfulServer server) {
    this.spring = spring;
    this.jetty = jetty;
    this.server = server;
  }

  /** Adds an interceptor to the host's RestfulServer, as a host guarding its data would. */
  void registerInterceptor(Object interceptor) {
    server.registerInterceptor(interceptor);
  }

  static PlainHapiServer start(Path dataDir, boolean withPlugin) throws Exception {
    return start(StoreSettings.h2File(dataDir), withPlugin);
  }

  static PlainHapiServer start(StoreSettings store, boolean withPlugin) throws Exception {
    AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext();
    spring.registerBean(StoreSettings.class, () -> store);
    spring.register(JpaServerConfig.class);
    spring.refresh();
    FhirContext fhirContext = spring.getBean(FhirContext.class);
    RestfulServer server = new RestfulServer(fhirContext);
    server.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
    server.registerProvider(spring.getBean(JpaSystemProvider.class));
    server.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
    if (withPlugin) {
      // The README's "As a library in your own HAPI FHIR server", line for line.
      @SuppressWarnings("unchecked")
      IFhirSystemDao<Bundle, ?> systemDao = spring.getBean(IFhirSystemDao.class);
      var library = new ContentLoader(new ObjectMapper()).loadPackaged();
      var stores = new HapiHostAccess(fhirContext, spring.getBean(DaoRegistry.class), systemDao,
          spring.getBean(MatchUrlService.class));
      ProstateEducationPlugin plugin = ProstateEducationPlugin.create(fhirContext, stores, library, PluginSettings.demo());
      plugin.publishContent();
      plugin.registerOn(server);
    }
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder("fhir", server), "/fhir/*");
    jetty.setHandler(context);
    jetty.start();
    return new PlainHapiServer(spring, jetty, server);
  }

  String base() {
    return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/fhir";
  }

  /** Loads the demo patients over HTTP, as any client would. */
  void loadDemoPatients() throws Exception {
    String bundle = FhirHttp.FHIR.newJsonParser().encodeResourceToString(
        org.prostateed.server.DemoData.patients(FhirHttp.FHIR, java.time.LocalDate.now()));
    FhirHttp.Reply reply = new FhirHttp(base()).postJson("", bundle);
    if (reply.status() != 200) {
      throw new IllegalStateException("demo transaction answered " + reply.status());
    }
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
