package org.prostateed.it;

import java.nio.file.Path;
import org.prostateed.server.StoreSettings;

/** The end-to-end flow on the embedded default: HAPI JPA on an H2 file. */
class H2EducationFlowIT extends EducationFlowContract {

  @Override
  StoreSettings store(Path dataDir) {
    return StoreSettings.h2File(dataDir);
  }
}
