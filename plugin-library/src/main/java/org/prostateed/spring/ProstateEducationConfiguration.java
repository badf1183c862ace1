package org.prostateed.spring;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.prostateed.cdshooks.CdsTrust;
import org.prostateed.cdshooks.JwtSettings;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.fhir.HapiHostAccess;
import org.prostateed.fhir.PluginSettings;
import org.prostateed.fhir.ProstateEducationPlugin;
import org.prostateed.fhir.StoreAccess;
import org.prostateed.handout.SiteContacts;
import org.prostateed.web.AppServlet;
import org.prostateed.web.PluginEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The plugin in a Spring Boot HAPI JPA server, such as the HAPI JPA server starter: found through
 * {@code hapi.fhir.custom-bean-packages=org.prostateed.spring} (or imported), it takes the host's
 * FhirContext, DAOs and {@link RestfulServer}, registers the plugin's operations and interceptors
 * on that server, publishes the content once every bean is ready, and mounts the CDS Hooks,
 * Infobutton, handout and app servlets where {@link ProstateEducationProperties.Mounts} says.
 * Every bean is named {@code prostateEducation...}, so none stands in for one of the host's.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProstateEducationProperties.class)
public class ProstateEducationConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ProstateEducationConfiguration.class);

  private final ObjectMapper json = new ObjectMapper();

  @Bean
  public ContentLibrary prostateEducationContent(ProstateEducationProperties properties) {
    ContentLoader loader = new ContentLoader(json);
    return properties.contentDir() == null ? loader.loadPackaged() : loader.load(Path.of(properties.contentDir()));
  }

  @Bean
  public PluginSettings prostateEducationSettings(ProstateEducationProperties properties) {
    SiteContacts site;
    try {
      site = properties.site() == null ? SiteContacts.none() : SiteContacts.load(Path.of(properties.site()), json);
    } catch (IOException e) {
      throw new UncheckedIOException("prostate-education.site cannot be read: " + e.getMessage(), e);
    }
    if (properties.demo()) {
      log.warn("prostate-education.demo: draft content may be given; never use in production");
      return PluginSettings.demo(site);
    }
    return PluginSettings.production(site);
  }

  /** The host's store as each operation's caller, and as the plugin where the code says why. */
  @Bean
  public StoreAccess prostateEducationStores(FhirContext fhirContext, DaoRegistry daos,
      IFhirSystemDao<Bundle, ?> systemDao, MatchUrlService matchUrls) {
    return new HapiHostAccess(fhirContext, daos, systemDao, matchUrls);
  }

  /** The plugin, registered on the host's FHIR server as soon as both exist. */
  @Bean
  public ProstateEducationPlugin prostateEducationPlugin(FhirContext fhirContext, RestfulServer fhirServer,
      StoreAccess prostateEducationStores, ContentLibrary prostateEducationContent,
      PluginSettings prostateEducationSettings) {
    ProstateEducationPlugin plugin = ProstateEducationPlugin.create(
        fhirContext, prostateEducationStores, prostateEducationContent, prostateEducationSettings);
    plugin.registerOn(fhirServer);
    return plugin;
  }

  /**
   * Publishes the content library (idempotent) once every singleton is built, so HAPI's DAOs and
   * search parameters are ready, and before the web server takes a request.
   */
  @Bean
  public SmartInitializingSingleton prostateEducationPublishing(ProstateEducationPlugin prostateEducationPlugin) {
    return () -> log.info("content published: {} artifacts changed", prostateEducationPlugin.publishContent());
  }

  @Bean(destroyMethod = "close")
  public PluginEndpoints prostateEducationEndpoints(FhirContext fhirContext, ProstateEducationProperties properties,
      StoreAccess prostateEducationStores, ContentLibrary prostateEducationContent,
      PluginSettings prostateEducationSettings) {
    if (properties.baseUrl() == null || properties.baseUrl().isBlank()) {
      throw new IllegalStateException("prostate-education.base-url is not set: the public URL at which this server is"
          + " reached (e.g. https://fhir.example.org); the CDS JWT audience and every link a card or feed gives are"
          + " built from it");
    }
    Optional<JwtSettings> trust;
    if (properties.cdsInsecureNoJwt()) {
      trust = Optional.empty();
    } else {
      trust = Optional.of(properties.cdsTrust() == null ? CdsTrust.none()
          : CdsTrust.load(Path.of(properties.cdsTrust()), json));
    }
    ProstateEducationProperties.App app = properties.app();
    return PluginEndpoints.create(fhirContext, prostateEducationContent, prostateEducationSettings,
        prostateEducationStores.asPlugin(), json,
        new PluginEndpoints.Settings(properties.baseUrl(), true, properties.mounts().endpoints(), trust,
            new AppServlet.AppSettings(properties.demo(), app.smartClientId(), app.smartScopes(), app.fhirBase(),
                app.connectOrigins())));
  }

  /** Mounts the endpoints' servlets in the host's servlet container. */
  @Bean
  public ServletContextInitializer prostateEducationServlets(PluginEndpoints prostateEducationEndpoints) {
    return context -> prostateEducationEndpoints.servlets().forEach((pattern, servlet) -> {
      ServletRegistration.Dynamic registration = context.addServlet("prostate-education " + pattern, servlet);
      if (registration == null) {
        throw new IllegalStateException("a servlet is already registered as 'prostate-education " + pattern + "'");
      }
      registration.addMapping(pattern);
    });
  }
}
