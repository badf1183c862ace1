package org.prostateed.it;

import java.nio.file.Path;

/**
 * Issue 5: "HAPI drop-in: a HAPI FHIR server that is not ours registers the plugin's providers and
 * interceptor ... and gains the operations and the Task attachment." The demo patients arrive over
 * HTTP, so every demo Task is attached by the interceptor.
 */
class DropInEducationFlowIT extends EducationFlowContract {

  @Override
  Running start(Path dataDir) throws Exception {
    PlainHapiServer server = PlainHapiServer.start(dataDir, true);
    server.loadDemoPatients();
    return new Running(server.base(), server.base(), server, true);
  }
}
