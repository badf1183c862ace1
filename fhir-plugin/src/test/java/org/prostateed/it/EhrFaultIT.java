package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.server.EhrConnection;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/**
 * Issue 7, faults: "beside an external FHIR server (the --fhir-server mode), stop that server in
 * the middle of a give, make it slow past the client timeout ...: no partial records, a clear 503
 * with Retry-After while it is down, and a retry afterwards yields exactly one record."
 *
 * <p>The EHR is a HAPI JPA server on an H2 file, really stopped and started again on the same
 * file. Between it and the plugin is a {@link FaultyLink}, which picks the moment: the request
 * that writes the release.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EhrFaultIT {

  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);
  private static final Pattern RELEASE = Pattern.compile("\"resourceType\"\\s*:\\s*\"DocumentReference\"");
  /** What a give adds before its release: the encounter's Task, attached in a transaction of its own. */
  private static final Map<String, Integer> TASK_ONLY = Map.of("Task", 1);
  /** What one whole give adds: the Task, then the release (which completes the Task). */
  private static final Map<String, Integer> ONE_RELEASE =
      Map.of("Task", 1, "DocumentReference", 1, "Communication", 1, "Provenance", 1, "AuditEvent", 1);

  private Path ehrData;
  private PlainHapiServer ehr;
  private FaultyLink link;
  private EmbeddedServer plugin;
  private final GiveSteps steps = new GiveSteps();
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    ehrData = dir.resolve("ehr");
    ehr = PlainHapiServer.start(ehrData, false);
    link = FaultyLink.to(ehr.base());
    plugin = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0, StoreSettings.h2File(dir.resolve("unused")),
        Optional.empty(), true).besideEhr(new EhrConnection(link.base(), Optional.empty(), CLIENT_TIMEOUT)));
    connect();
  }

  @AfterAll
  void stop() throws Exception {
    plugin.close();
    link.close();
    if (ehr != null) {
      ehr.close();
    }
  }

  @Test
  void theEhrStoppingAsTheReleaseIsSentLeavesNoRecordAndTheRetryGivesOnce() throws Exception {
    Prepared given = prepare();
    Map<String, Integer> before = steps.http.counts();

    FhirHttp.Reply cut = giveWhileTheEhrStops(given, FaultyLink.Fault.DROP_REQUEST);

    assertUnavailable(cut, "could not be reached");
    assertWhileDown(given);
    startEhrAgain();
    assertThat(added(before)).as("records added: the Task, and nothing of the cut release").isEqualTo(TASK_ONLY);
    assertThat(steps.http.search(Task.class, "encounter=Encounter/" + given.encounter().encounterId()))
        .singleElement().extracting(Task::getStatus).isEqualTo(Task.TaskStatus.REQUESTED);

    FhirHttp.Reply retry = give(given);
    assertThat(retry.status()).as(retry.body()).isEqualTo(201);
    assertExactlyOneRelease(given, before, retry.as(DocumentReference.class).getIdElement().getIdPart());
  }

  @Test
  void theEhrStoppingAfterWritingButBeforeAnsweringLeavesTheWholeReleaseAndTheRetryFindsIt() throws Exception {
    Prepared given = prepare();
    Map<String, Integer> before = steps.http.counts();

    FhirHttp.Reply cut = giveWhileTheEhrStops(given, FaultyLink.Fault.DROP_ANSWER);

    assertUnavailable(cut, "could not be reached");
    assertWhileDown(given);
    startEhrAgain();
    assertThat(added(before)).as("the EHR committed the whole release before it stopped").isEqualTo(ONE_RELEASE);

    FhirHttp.Reply retry = give(given);
    assertThat(retry.status()).as("the retry finds the release, it does not write another: " + retry.body())
        .isEqualTo(200);
    assertExactlyOneRelease(given, before, retry.as(DocumentReference.class).getIdElement().getIdPart());
  }

  @Test
  void anEhrSlowerThanTheClientTimeoutGets503AndTheRetryGivesOnce() throws Exception {
    Prepared given = prepare();
    Map<String, Integer> before = steps.http.counts();
    FaultyLink.Rule rule = link.breakOn(EhrFaultIT::writesTheRelease, FaultyLink.Fault.HOLD_ANSWER,
        CLIENT_TIMEOUT.plusSeconds(2), () -> { });

    long started = System.nanoTime();
    FhirHttp.Reply late = give(given);
    Duration waited = Duration.ofNanos(System.nanoTime() - started);

    assertUnavailable(late, "did not answer in time");
    assertThat(waited).as("the plugin gave up at its timeout, not when the EHR answered")
        .isLessThan(CLIENT_TIMEOUT.plusSeconds(2));
    rule.awaitFinished(Duration.ofSeconds(30));

    FhirHttp.Reply retry = give(given);
    assertThat(retry.status()).as(retry.body()).isIn(200, 201);
    assertExactlyOneRelease(given, before, retry.as(DocumentReference.class).getIdElement().getIdPart());
  }

  /** A qualifying encounter and a stored response with nothing against the handout. */
  private record Prepared(GiveSteps.NewEncounter encounter, String response) {}

  private Prepared prepare() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    return new Prepared(encounter, steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId())));
  }

  private FhirHttp.Reply give(Prepared prepared) {
    return steps.give(prepared.encounter().encounterId(), prepared.response(), "print");
  }

  private static boolean writesTheRelease(FaultyLink.Request request) {
    return "POST".equals(request.method()) && request.path().matches("/fhir/?")
        && RELEASE.matcher(request.body()).find();
  }

  /** docs/operations.md, faults: "a clear 503 with Retry-After while it is down". */
  private static void assertUnavailable(FhirHttp.Reply reply, String why) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(503);
    assertThat(reply.header("Retry-After")).isEqualTo("10");
    OperationOutcome outcome = reply.as(OperationOutcome.class);
    assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TRANSIENT);
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("The FHIR store " + why)
        .contains("recorded at most once");
  }

  /** While the EHR is down every give, and the plugin's health, answer 503 with Retry-After. */
  private void assertWhileDown(Prepared given) throws Exception {
    assertUnavailable(give(given), "could not be reached");
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + plugin.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.headers().firstValue("Retry-After")).contains("10");
  }

  private void assertExactlyOneRelease(Prepared given, Map<String, Integer> before, String documentId) {
    FhirHttp http = steps.http;
    String encounter = "encounter=Encounter/" + given.encounter().encounterId();
    assertThat(http.search(DocumentReference.class, encounter)).extracting(d -> d.getIdElement().getIdPart())
        .containsExactly(documentId);
    assertThat(http.count(org.hl7.fhir.r4.model.Communication.class, encounter)).isEqualTo(1);
    assertThat(http.search(Task.class, encounter)).singleElement()
        .extracting(Task::getStatus).isEqualTo(Task.TaskStatus.COMPLETED);
    assertThat(added(before)).as("records added by the give and its retry").isEqualTo(ONE_RELEASE);
  }

  private Map<String, Integer> added(Map<String, Integer> before) {
    Map<String, Integer> added = new HashMap<>();
    steps.http.counts().forEach((type, count) -> {
      if (count - before.get(type) != 0) {
        added.put(type, count - before.get(type));
      }
    });
    return added;
  }

  /** A give during which the EHR stops, at the moment the release is sent, in the way {@code fault} says. */
  private FhirHttp.Reply giveWhileTheEhrStops(Prepared given, FaultyLink.Fault fault) throws Exception {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    FaultyLink.Rule rule = link.breakOn(EhrFaultIT::writesTheRelease, fault, Duration.ZERO,
        () -> stopEhrInTheBackground(stopped));
    FhirHttp.Reply cut = give(given);
    stopped.get();
    assertThat(rule.happened()).as("the EHR stopped as the release was sent").isTrue();
    return cut;
  }

  private void stopEhrInTheBackground(CompletableFuture<Void> stopped) {
    PlainHapiServer stopping = ehr;
    ehr = null;
    new Thread(() -> {
      try {
        stopping.close();
        stopped.complete(null);
      } catch (Exception | Error e) {
        stopped.completeExceptionally(e);
      }
    }, "ehr-stop").start();
  }

  private void startEhrAgain() throws Exception {
    ehr = PlainHapiServer.start(ehrData, false);
    link.retarget(ehr.base());
    connect();
  }

  private void connect() {
    steps.http = new FhirHttp(ehr.base(), "http://127.0.0.1:" + plugin.port() + "/fhir");
  }
}
