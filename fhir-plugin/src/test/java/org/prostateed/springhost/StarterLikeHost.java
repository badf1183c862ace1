package org.prostateed.springhost;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import java.nio.file.Path;
import java.util.List;
import org.prostateed.server.JpaServerConfig;
import org.prostateed.server.StoreSettings;
import org.springframework.beans.BeansException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot HAPI JPA server built, for the tests, the way the HAPI JPA server starter is: its
 * own class path knows nothing of the plugin, which arrives as a folder on Spring Boot's
 * {@code loader.path} and is switched on by the starter's properties alone:
 * {@code hapi.fhir.custom-bean-packages} is component-scanned, and each class named in
 * {@code hapi.fhir.custom-interceptor-classes} or {@code hapi.fhir.custom-provider-classes} is
 * taken from the context if it holds a bean of it, else made with its no-argument constructor,
 * and registered on the {@link RestfulServer} served at {@code /fhir/*}. The store is H2.
 */
@Configuration(proxyBeanMethods = false)
@Import({ServletWebServerFactoryAutoConfiguration.class, JpaServerConfig.class})
@ComponentScan(basePackages = "${hapi.fhir.custom-bean-packages:}")
public class StarterLikeHost {

  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(StarterLikeHost.class);
    application.setWebApplicationType(WebApplicationType.SERVLET);
    // HAPI's configuration classes define some beans twice; the starter's application.yaml allows it too.
    application.setAllowBeanDefinitionOverriding(true);
    application.setAllowCircularReferences(true);
    application.run(args);
  }

  @Bean
  public StoreSettings storeSettings(Environment environment) {
    return StoreSettings.h2File(Path.of(environment.getRequiredProperty("host.data-dir")));
  }

  @Bean
  public RestfulServer restfulServer(FhirContext fhirContext, ResourceProviderFactory resourceProviders,
      JpaSystemProvider systemProvider, DatabaseBackedPagingProvider paging, ApplicationContext context,
      Environment environment) {
    RestfulServer server = new RestfulServer(fhirContext);
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    server.setPagingProvider(paging);
    for (String name : classNames(environment, "hapi.fhir.custom-interceptor-classes")) {
      server.registerInterceptor(instance(context, name));
    }
    for (String name : classNames(environment, "hapi.fhir.custom-provider-classes")) {
      server.registerProvider(instance(context, name));
    }
    return server;
  }

  @Bean
  public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer restfulServer) {
    ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(restfulServer, "/fhir/*");
    registration.setLoadOnStartup(1);
    return registration;
  }

  private static List<String> classNames(Environment environment, String property) {
    String names = environment.getProperty(property, "");
    return names.isBlank() ? List.of() : List.of(names.trim().split("\\s*,\\s*"));
  }

  private static Object instance(ApplicationContext context, String className) {
    Class<?> type;
    try {
      type = Class.forName(className);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("no class " + className + " on the class path or loader.path", e);
    }
    try {
      return context.getBean(type);
    } catch (BeansException notABean) {
      try {
        return type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(className + " has no public no-argument constructor", e);
      }
    }
  }
}
