package org.prostateed.it;

import java.nio.file.Path;
import java.util.Optional;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/** The caller's rights in the embedded server's own HAPI wiring, guarded the way a host would guard it. */
class EmbeddedCallerRightsIT extends CallerRightsContract {

  @Override
  Host start(Path dir) throws Exception {
    EmbeddedServer server = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0,
        StoreSettings.h2File(dir.resolve("data")), Optional.empty(), true));
    return new Host("http://127.0.0.1:" + server.port() + "/fhir", server::registerInterceptor, server);
  }
}
