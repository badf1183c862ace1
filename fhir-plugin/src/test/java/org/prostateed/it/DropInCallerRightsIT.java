package org.prostateed.it;

import java.nio.file.Path;

/** The caller's rights in a HAPI server that is not ours, with the plugin registered as a host would. */
class DropInCallerRightsIT extends CallerRightsContract {

  @Override
  Host start(Path dir) throws Exception {
    PlainHapiServer server = PlainHapiServer.start(dir.resolve("data"), true);
    server.loadDemoPatients();
    return new Host(server.base(), server::registerInterceptor, server);
  }
}
