package org.prostateed.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Issue 7: the plugin beside the {@code hapiproject/hapi} image ({@link ContainerImages}) acting as
 * the EHR, where Docker exists; skipped cleanly without a Docker engine.
 * {@link BesideEhrEducationFlowIT} runs the same flow beside an in-process HAPI JPA server everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerHapiBesideEhrEducationFlowIT extends EducationFlowContract {

  @Override
  Running start(Path dataDir) throws Exception {
    GenericContainer<?> ehr = new GenericContainer<>(ContainerImages.hapi())
        .withExposedPorts(8080)
        // The suite counts records right after writing them: no reuse of cached search results.
        .withEnv("HAPI_FHIR_REUSE_CACHED_SEARCH_RESULTS_MILLIS", "0")
        .waitingFor(Wait.forHttp("/fhir/metadata").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(4)));
    ehr.start();
    String ehrBase = "http://" + ehr.getHost() + ":" + ehr.getMappedPort(8080) + "/fhir";
    EmbeddedServer plugin = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0,
        StoreSettings.h2File(dataDir.resolve("unused")), Optional.empty(), true).besideEhr(ehrBase, Optional.empty()));
    return new Running(ehrBase, "http://127.0.0.1:" + plugin.port() + "/fhir", () -> {
      plugin.close();
      ehr.stop();
    }, false);
  }
}
