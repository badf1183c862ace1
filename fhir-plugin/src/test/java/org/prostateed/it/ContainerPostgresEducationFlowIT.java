package org.prostateed.it;

import java.nio.file.Path;
import org.prostateed.server.StoreSettings;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Issue 7: the end-to-end suite against a {@code postgres} image ({@link ContainerImages}), where
 * Docker exists. Without a Docker engine the class is skipped cleanly; the same flow runs on the
 * machine's PostgreSQL in {@link PostgresEducationFlowIT} everywhere. {@code .ci/containers/run}
 * starts an engine and runs it.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPostgresEducationFlowIT extends EducationFlowContract {

  private PostgreSQLContainer<?> postgres;

  @Override
  Running start(Path dataDir) throws Exception {
    postgres = new PostgreSQLContainer<>(ContainerImages.postgres());
    postgres.start();
    return embedded(StoreSettings.jdbc(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword()));
  }

  @Override
  void dropStore() {
    if (postgres != null) {
      postgres.stop();
    }
  }
}
