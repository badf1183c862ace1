package org.prostateed.it;

import java.nio.file.Path;

/**
 * Issue 24: "A drop-in recipe checked against the real starter": the flow suite and the mount
 * checks in the HAPI JPA server starter's own {@code ROOT.war}, the plugin added as
 * docs/hapi-starter.md tells an integrator. The war is built from the starter's source, which
 * this build cannot fetch: the suite runs where {@code HAPI_STARTER_WAR} names one.
 */
class HapiStarterEducationFlowIT extends SpringBootHostEducationFlowIT {

  @Override
  SpringBootHost startHost(Path dir) throws Exception {
    return SpringBootHost.realStarterIfBuilt(dir);
  }
}
