package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DocumentReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.server.StoreSettings;

/**
 * Issue 7: "two plugin processes on one HAPI server backed by the machine's PostgreSQL, 50
 * concurrent identical gives split between them: exactly one DocumentReference, counted by FHIR
 * search." Each plugin is a separate JVM started from the built jar, beside the HAPI server.
 */
class TwoInstancesIT {

  private static final String SERVER = System.getProperty("postgres.url", "jdbc:postgresql://127.0.0.1:5432/");

  @Test
  void fiftyConcurrentGivesThroughTwoProcessesWriteOneRelease(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target", "fhir-plugin.jar");
    Assumptions.assumeTrue(Files.exists(jar) || PostgresSuites.REQUIRED,
        "the plugin jar is built by 'mvn package' before this suite");
    String database = "prostateed_two_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try {
      createDatabase(database);
    } catch (java.sql.SQLException e) {
      if (PostgresSuites.REQUIRED) {
        throw e;
      }
      Assumptions.abort("no PostgreSQL at " + SERVER + " (" + e.getMessage() + ")");
    }
    List<Process> plugins = new ArrayList<>();
    try (PlainHapiServer ehr = PlainHapiServer.start(StoreSettings.jdbc(SERVER + database, "postgres", ""), false)) {
      List<String> bases = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        int port = freePort();
        Process process = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString(), "serve", "--demo",
            "--port", String.valueOf(port), "--fhir-server", ehr.base())
            .redirectErrorStream(true).redirectOutput(dir.resolve("plugin-" + i + ".log").toFile()).start();
        plugins.add(process);
        String base = "http://127.0.0.1:" + port;
        awaitHealthy(base, process);
        bases.add(base + "/fhir");
      }
      GiveSteps steps = new GiveSteps();
      steps.http = new FhirHttp(ehr.base(), bases.get(0));
      GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
      String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId()));

      ExecutorService pool = Executors.newFixedThreadPool(50);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<FhirHttp.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        GiveSteps through = new GiveSteps();
        through.http = new FhirHttp(ehr.base(), bases.get(i % 2));
        replies.add(pool.submit(() -> {
          start.await();
          return through.give(encounter.encounterId(), response, "print");
        }));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<FhirHttp.Reply> reply : replies) {
        statuses.add(reply.get(180, TimeUnit.SECONDS).status());
      }
      pool.shutdown();

      FhirHttp store = new FhirHttp(ehr.base());
      assertThat(statuses).allMatch(status -> status == 200 || status == 201);
      assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
      assertThat(store.count(DocumentReference.class, "encounter=Encounter/" + encounter.encounterId())).isEqualTo(1);
      assertThat(store.count(Communication.class, "encounter=Encounter/" + encounter.encounterId())).isEqualTo(1);
    } finally {
      for (Process plugin : plugins) {
        plugin.destroy();
        plugin.waitFor(30, TimeUnit.SECONDS);
      }
      dropDatabase(database);
    }
  }

  private static void awaitHealthy(String base, Process process) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("a plugin process ended while starting");
      }
      try {
        HttpResponse<Void> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new IllegalStateException("a plugin process did not become healthy within 90 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void createDatabase(String database) throws java.sql.SQLException {
    try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
  }

  private static void dropDatabase(String database) {
    try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (java.sql.SQLException ignored) {
      // nothing was created, or the server is gone
    }
  }
}
