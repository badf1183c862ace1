package org.prostateed.it;

import java.nio.file.Path;
import org.prostateed.server.StoreSettings;

/** The end-to-end flow on the embedded default: HAPI JPA on an H2 file. */
class H2EducationFlowIT extends EducationFlowContract {

  @Override
  Running start(Path dataDir) throws Exception {
    return embedded(StoreSettings.h2File(dataDir));
  }
}
