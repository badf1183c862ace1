package org.prostateed.it;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The caller-rights suite in the HAPI JPA server starter's own {@code ROOT.war}, its
 * {@link HostRules} loaded through {@code hapi.fhir.custom-interceptor-classes}; runs where
 * {@code HAPI_STARTER_WAR} names one (docs/hapi-starter.md).
 */
class HapiStarterCallerRightsIT extends SpringBootHostCallerRightsIT {

  @Override
  SpringBootHost springHost(Path dir) throws Exception {
    Assumptions.assumeTrue(SpringBootHost.starterWar().isPresent(),
        "HAPI_STARTER_WAR names no HAPI JPA server starter ROOT.war (docs/hapi-starter.md builds one)");
    return SpringBootHost.realStarter(dir, SpringBootHost.starterWar().get());
  }
}
