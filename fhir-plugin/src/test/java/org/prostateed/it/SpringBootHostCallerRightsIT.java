package org.prostateed.it;

import java.nio.file.Path;

/**
 * Issue 24: "its authorisation rule applies to the plugin's operations": the caller-rights suite
 * in a Spring Boot host built like the HAPI starter, where {@link HostRules} is loaded the
 * starter's way ({@code hapi.fhir.custom-interceptor-classes}) and the plugin only through
 * properties and loader.path.
 */
class SpringBootHostCallerRightsIT extends CallerRightsContract {

  @Override
  Host start(Path dir) throws Exception {
    SpringBootHost host = springHost(dir.resolve("host"));
    host.loadDemoPatients();
    // The host's rule is already in front, loaded from its properties: nothing more to register.
    return new Host(host.fhirBase(), guard -> {}, host);
  }

  SpringBootHost springHost(Path dir) throws Exception {
    return SpringBootHost.starterLike(dir);
  }
}
