package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.cli.Main;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;
import picocli.CommandLine;

/**
 * Issue 3: "retire, then give, is refused; recall lists exactly the encounters that received that
 * version", and "content publish --fhir-server URL puts the library into any FHIR R4 server
 * idempotently". Both run through the command line against the server over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecallIT {

  private EmbeddedServer server;
  private FhirHttp http;
  private String base;
  private final GiveSteps steps = new GiveSteps();

  @BeforeAll
  void start(@TempDir Path dataDir) throws Exception {
    server = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0, StoreSettings.h2File(dataDir), Optional.empty(), true));
    base = "http://127.0.0.1:" + server.port() + "/fhir";
    http = new FhirHttp(base);
    steps.http = http;
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  @Test
  void retiringAVersionStopsItAndListsExactlyItsRecipients() {
    GiveSteps.NewEncounter first = steps.newQualifyingEncounter("N41.1");
    GiveSteps.NewEncounter second = steps.newQualifyingEncounter("N40.1");
    GiveSteps.NewEncounter never = steps.newQualifyingEncounter("N41.1");
    String firstDocument = steps.giveEligible(first);
    String secondDocument = steps.giveEligible(second);

    Run recall = run("recall", "--fhir-server", base, "--handout", "prostate-massage", "--language", "en",
        "--version", "0.2.0", "--reason", "wording found unclear in review");

    assertThat(recall.exit()).isZero();
    List<String> lines = recall.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("patient\tencounter\tdocument\tdate");
    assertThat(lines.subList(1, lines.size() - 1)).extracting(line -> String.join("\t", List.of(line.split("\t")).subList(0, 3)))
        .containsExactlyInAnyOrder(
            "Patient/" + first.patientId() + "\tEncounter/" + first.encounterId() + "\t" + firstDocument,
            "Patient/" + second.patientId() + "\tEncounter/" + second.encounterId() + "\t" + secondDocument);
    assertThat(lines.get(lines.size() - 1)).isEqualTo("2 release(s) of prostate-massage en 0.2.0 to recall");
    assertThat(http.search(Library.class, "url=http://prostateed.org/fhir/Library/handout-prostate-massage-en"))
        .singleElement().satisfies(library -> assertThat(library.getStatus().toCode()).isEqualTo("retired"));

    FhirHttp.Reply refused = steps.give(never.encounterId(),
        steps.storeResponse(Responses.forEncounter(never.patientId(), never.encounterId())), "print");

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).contains("retired");
    assertThat(http.count(org.hl7.fhir.r4.model.DocumentReference.class, "encounter=Encounter/" + never.encounterId())).isZero();
  }

  @Test
  void publishingTheLibraryAgainChangesNothing() {
    int libraries = http.count(Library.class, "_elements=id");

    Run publish = run("content", "--content-dir", org.prostateed.content.ShippedContent.folder().toString(), "publish", "--fhir-server", base);

    assertThat(publish.exit()).isZero();
    assertThat(publish.out()).contains("0 artifact(s) created or updated");
    assertThat(http.count(Library.class, "_elements=id")).isEqualTo(libraries);
  }

  record Run(int exit, String out) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new Main());
    command.setOut(new PrintWriter(out));
    int exit = command.execute(args);
    return new Run(exit, out.toString());
  }
}
