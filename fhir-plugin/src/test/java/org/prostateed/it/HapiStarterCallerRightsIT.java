package org.prostateed.it;

import java.nio.file.Path;

/**
 * The caller-rights suite in the HAPI JPA server starter's own {@code ROOT.war}, its
 * {@link HostRules} loaded through {@code hapi.fhir.custom-interceptor-classes}; runs where
 * {@code HAPI_STARTER_WAR} names one (docs/hapi-starter.md).
 */
class HapiStarterCallerRightsIT extends SpringBootHostCallerRightsIT {

  @Override
  SpringBootHost springHost(Path dir) throws Exception {
    return SpringBootHost.realStarterIfBuilt(dir);
  }
}
