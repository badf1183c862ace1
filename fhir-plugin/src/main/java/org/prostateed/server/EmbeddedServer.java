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
import java.time.LocalDate;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Questionnaire;
import org.prostateed.cdshooks.CdsTrust;
import org.prostateed.cdshooks.JwtSettings;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.fhir.HapiHostAccess;
import org.prostateed.fhir.FhirStore;
import org.prostateed.fhir.PluginSettings;
import org.prostateed.fhir.ProstateEducationPlugin;
import org.prostateed.fhir.RestFhirStore;
import org.prostateed.fhir.StoreAccess;
import org.prostateed.fhir.StoreOutage;
import org.prostateed.web.AppServlet;
import org.prostateed.web.PluginEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The composition root: the plugin's FHIR operations at {@code /fhir}, over either a full HAPI JPA
 * server of its own (H2 file or PostgreSQL) or, beside an EHR, the EHR's FHIR API over REST; and
 * its own endpoints ({@code /health}, {@code /cds-services}, {@code /infobutton}, {@code /handouts})
 * beside it, all served by one Jetty.
 */
public final class EmbeddedServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

  /**
   * Bytes Jetty reads from a connection at once. A CDS Hooks call carries the chart as prefetch,
   * some kilobytes to tens of kilobytes; at Jetty's default of 8 KiB the benchmark's 8.9 KB call
   * needed a second read from the socket while it was parsed (bench/RESULTS.md).
   */
  private static final int READ_BUFFER_BYTES = 32 * 1024;

  private final AnnotationConfigApplicationContext spring;
  private final Server jetty;
  private final ProstateEducationPlugin plugin;
  private final RestfulServer fhirServer;
  private final PluginEndpoints endpoints;

  private EmbeddedServer(AnnotationConfigApplicationContext spring, Server jetty, ProstateEducationPlugin plugin,
      RestfulServer fhirServer, PluginEndpoints endpoints) {
    this.spring = spring;
    this.jetty = jetty;
    this.plugin = plugin;
    this.fhirServer = fhirServer;
    this.endpoints = endpoints;
  }

  /**
   * Adds an interceptor to the {@code /fhir} server, for a process that embeds this server and
   * guards its data (an AuthorizationInterceptor, consent): the plugin's operations read and write
   * as their caller, so it applies to them too.
   */
  public void registerInterceptor(Object interceptor) {
    fhirServer.registerInterceptor(interceptor);
  }

  public static EmbeddedServer start(ServerSettings settings) throws Exception {
    long started = System.nanoTime();
    checkExposure(settings);
    ObjectMapper json = new ObjectMapper();
    ContentLoader loader = new ContentLoader(json);
    ContentLibrary library = settings.contentDir().map(loader::load).orElseGet(loader::loadPackaged);
    PluginSettings pluginSettings = settings.demo() ? PluginSettings.demo(settings.site())
        : PluginSettings.production(settings.site());
    if (settings.demo() && !settings.site().missing().isEmpty()) {
      log.warn("demo mode: site contacts not set ({}): handouts show placeholders", settings.site().missing());
    }

    AnnotationConfigApplicationContext spring = null;
    PluginEndpoints endpoints = null;
    try {
      FhirContext fhirContext;
      StoreAccess stores;
      RestfulServer fhirServer;
      if (settings.ehr().isPresent()) {
        EhrConnection ehr = settings.ehr().get();
        fhirContext = FhirContext.forR4();
        fhirContext.getRestfulClientFactory().setConnectTimeout((int) ehr.timeout().toMillis());
        fhirContext.getRestfulClientFactory().setSocketTimeout((int) ehr.timeout().toMillis());
        // The EHR's own API authorises every call made with its token.
        stores = StoreAccess.fixed(new RestFhirStore(fhirContext, ehr.baseUrl(), ehr.token().orElse(null)));
        fhirServer = new RestfulServer(fhirContext);
        log.info("beside an EHR: every read and write goes to its FHIR server; no local store");
      } else {
        spring = new AnnotationConfigApplicationContext();
        spring.registerBean(StoreSettings.class, settings::store);
        spring.register(JpaServerConfig.class);
        spring.refresh();
        fhirContext = spring.getBean(FhirContext.class);
        @SuppressWarnings("unchecked")
        IFhirSystemDao<Bundle, ?> systemDao = spring.getBean(IFhirSystemDao.class);
        stores = new HapiHostAccess(
            fhirContext, spring.getBean(DaoRegistry.class), systemDao, spring.getBean(MatchUrlService.class));
        fhirServer = new RestfulServer(fhirContext);
        fhirServer.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
        fhirServer.registerProvider(spring.getBean(JpaSystemProvider.class));
        fhirServer.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
      }
      fhirServer.setDefaultPrettyPrint(false);
      fhirServer.registerInterceptor(new StoreOutage());

      ProstateEducationPlugin plugin = ProstateEducationPlugin.create(fhirContext, stores, library, pluginSettings);
      plugin.publishContent();
      if (settings.demo()) {
        log.warn("demo mode: demo patients are loaded and draft content may be given; never use in production");
        DemoData.load(fhirContext, stores.asPlugin(), plugin, LocalDate.now(pluginSettings.clock()));
      }
      plugin.registerOn(fhirServer);

      Server jetty = new Server();
      HttpConnectionFactory http = new HttpConnectionFactory();
      http.setInputBufferSize(READ_BUFFER_BYTES);
      ServerConnector connector = new ServerConnector(jetty, http);
      connector.setHost(settings.host());
      connector.setPort(settings.port());
      jetty.addConnector(connector);
      connector.open();
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      context.addServlet(new ServletHolder("fhir", fhirServer), "/fhir/*");
      settings.smartIssuer().ifPresent(issuer -> context.addServlet(
          new ServletHolder("smart-configuration", new SmartConfigurationServlet(issuer, settings.smartPermissions(), json)),
          "/fhir/.well-known/smart-configuration"));
      context.addServlet(new ServletHolder("health", health(library, stores, json)), "/health");
      endpoints = endpoints(settings, pluginSettings, library, stores, fhirContext, json, connector);
      endpoints.servlets().forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
      FhirErrorHandler fhirErrors = new FhirErrorHandler(fhirContext, "/fhir");
      jetty.setErrorHandler(fhirErrors);
      jetty.setHandler(context);
      jetty.start();
      log.info("ready at http://{}:{}/fhir in {} ms", settings.host(), connector.getLocalPort(),
          (System.nanoTime() - started) / 1_000_000);
      return new EmbeddedServer(spring, jetty, plugin, fhirServer, endpoints);
    } catch (Exception | Error e) {
      if (endpoints != null) {
        endpoints.close();
      }
      if (spring != null) {
        spring.close();
      }
      throw e;
    }
  }

  /** The plugin's own endpoints, at the embedded server's standard paths. */
  private static PluginEndpoints endpoints(ServerSettings settings, PluginSettings pluginSettings,
      ContentLibrary library, StoreAccess stores, FhirContext fhirContext, ObjectMapper json,
      ServerConnector connector) {
    String base = settings.publicBaseUrl().orElseGet(() -> "http://" + settings.host() + ":" + connector.getLocalPort());
    Optional<JwtSettings> trust = settings.cdsVerificationOff() ? Optional.empty()
        : Optional.of(settings.cdsTrust().map(file -> CdsTrust.load(file, json)).orElseGet(CdsTrust::none));
    AppServlet.AppSettings app = new AppServlet.AppSettings(settings.demo(), AppServlet.AppSettings.SMART_CLIENT_ID,
        AppServlet.AppSettings.SMART_SCOPES, "/fhir",
        Stream.of(settings.ehr().map(EhrConnection::baseUrl), settings.smartIssuer())
            .flatMap(Optional::stream).map(EmbeddedServer::origin).distinct()
            .collect(Collectors.joining(" ")));
    return PluginEndpoints.create(fhirContext, library, pluginSettings, stores.asPlugin(), json,
        new PluginEndpoints.Settings(base, settings.publicBaseUrl().isPresent(), PluginEndpoints.Mounts.standard(),
            trust, app));
  }

  /** The health check has no FHIR caller: it asks the plugin's store for the first questionnaire. */
  private static HealthServlet health(ContentLibrary library, StoreAccess stores, ObjectMapper json) {
    FhirStore store = stores.asPlugin();
    String firstQuestionnaire = library.questionnaires().get(0).url();
    BooleanSupplier storeAnswers = () -> {
      try {
        return !store.search(Questionnaire.class,
            "url=" + URLEncoder.encode(firstQuestionnaire, StandardCharsets.UTF_8)).isEmpty();
      } catch (RuntimeException e) {
        return false;
      }
    };
    return new HealthServlet(library.items().size() + " education item(s), "
        + library.handouts().size() + " handout version(s)", storeAnswers, json);
  }

  /**
   * The FHIR endpoint has no authorisation of its own: binding beyond loopback is refused unless
   * the operator says a proxy or firewall protects it.
   */
  static void checkExposure(ServerSettings settings) throws java.net.UnknownHostException {
    boolean loopback = java.net.InetAddress.getByName(settings.host()).isLoopbackAddress();
    if (!loopback && !settings.acceptExposure()) {
      throw new IllegalArgumentException("refusing to bind " + settings.host() + ": the FHIR endpoint has no"
          + " authorisation of its own. Bind 127.0.0.1 behind a proxy that authorises, or pass"
          + " --accept-network-exposure if the network is protected otherwise");
    }
    if (!loopback) {
      log.warn("bound to {} beyond loopback: the FHIR endpoint relies on the network's own protection", settings.host());
    }
  }

  private static String origin(String url) {
    java.net.URI uri = java.net.URI.create(url);
    return uri.getScheme() + "://" + uri.getAuthority();
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
      endpoints.close();
      if (spring != null) {
        spring.close();
      }
    }
  }
}
