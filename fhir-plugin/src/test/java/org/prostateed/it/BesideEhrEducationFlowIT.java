package org.prostateed.it;

import java.nio.file.Path;
import java.util.Optional;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/**
 * Issue 5: "serve --fhir-server URL runs every operation ... against an external FHIR R4 server
 * over REST, with no local store. Test it against a second, separately started HAPI JPA server
 * acting as the EHR." The plugin publishes its content and the demo patients into the EHR.
 */
class BesideEhrEducationFlowIT extends EducationFlowContract {

  @Override
  Running start(Path dataDir) throws Exception {
    PlainHapiServer ehr = PlainHapiServer.start(dataDir.resolve("ehr"), false);
    EmbeddedServer plugin = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0,
        StoreSettings.h2File(dataDir.resolve("unused")), Optional.empty(), true)
        .besideEhr(ehr.base(), Optional.empty()));
    return new Running(ehr.base(), "http://127.0.0.1:" + plugin.port() + "/fhir", () -> {
      plugin.close();
      ehr.close();
    }, false);
  }
}
