package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.hl7.fhir.r4.model.DocumentReference;
import org.junit.jupiter.api.Test;
import org.prostateed.server.StoreSettings;

/**
 * Issue 7, faults, in the drop-in mode: the plugin registered on a HAPI server that is not ours
 * ({@link PlainHapiServer}, the README's lines), whose PostgreSQL stops and starts again. The
 * plugin's operations give "a clear 503 with Retry-After while it is down, and a retry afterwards
 * yields exactly one record"; the host's own requests keep the host's answers.
 *
 * <p>The cluster is the test's own ({@link PrivatePostgres}). Where the machine has no PostgreSQL
 * binaries the suite is skipped with that reason, except in CI ({@code CI=true}) or with
 * {@code -Dpostgres.required=true}, where it fails.
 */
class DropInOutageIT {

  private final GiveSteps steps = new GiveSteps();

  @Test
  void theOperationsAnswer503WhileTheHostsDatabaseIsDownAndTheRetryGivesOnce() throws Exception {
    try (PrivatePostgres postgres = PrivatePostgres.start(PrivatePostgres.binariesOrSkip());
        PlainHapiServer host = PlainHapiServer.start(StoreSettings.jdbc(postgres.jdbcUrl(), "postgres", ""), true)) {
      host.loadDemoPatients();
      steps.http = new FhirHttp(host.base());
      GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
      String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId()));
      Map<String, Integer> before = steps.http.counts();

      postgres.stop();
      Outages.assertDatabaseUnreachable(steps.give(encounter.encounterId(), response, "print"));
      Outages.assertDatabaseUnreachable(steps.http.get("Encounter/" + encounter.encounterId() + "/$education"));
      FhirHttp.Reply hostRead = steps.http.get("Patient?_count=1");
      assertThat(hostRead.status()).as("the host's own search fails its own way").isNotEqualTo(503)
          .isGreaterThanOrEqualTo(500);
      assertThat(hostRead.header("Retry-After")).isNull();

      postgres.startAgain();
      await("the host answers again within a minute of the restart").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> steps.http.get("Patient?_count=1").status() == 200);
      FhirHttp.Reply retry = steps.give(encounter.encounterId(), response, "print");
      assertThat(retry.status()).as(retry.body()).isEqualTo(201);
      assertThat(steps.http.count(DocumentReference.class, "encounter=Encounter/" + encounter.encounterId()))
          .isEqualTo(1);
      assertThat(steps.http.counts().get("DocumentReference") - before.get("DocumentReference")).isEqualTo(1);
    }
  }
}
