package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.content.ContentLoaderTestAccess;
import org.prostateed.handout.SiteContacts;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/**
 * Production mode (no --demo) with a library released as a content owner would: every file active
 * and approved, the Spanish translation recorded against the current English. Issue 4: "Spanish chosen for a Spanish-speaking patient when an approved Spanish
 * version exists"; docs/clinical-rules.md, "Governance": only approved content is given, without a watermark.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionContentIT {

  static final SiteContacts SITE = new SiteContacts("Riverside Urology", "555 0100", "911");

  private EmbeddedServer server;
  private FhirHttp http;
  private final GiveSteps steps = new GiveSteps();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path content = ContentLoaderTestAccess.releasedCopyOfShipped(dir.resolve("content"));
    server = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0, StoreSettings.h2File(dir.resolve("data")),
        Optional.of(content), false).withSite(SITE));
    http = new FhirHttp("http://127.0.0.1:" + server.port() + "/fhir");
    steps.http = http;
    Practitioner practitioner = new Practitioner();
    practitioner.setId("demo-practitioner");
    practitioner.addName().setFamily("Example");
    assertThat(http.put(GiveSteps.PRACTITIONER, practitioner).status()).isIn(200, 201);
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aSpanishSpeakingPatientIsGivenTheApprovedSpanishVersionWithoutWatermark() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    speaks(encounter.patientId(), "es");

    FhirHttp.Reply give = steps.give(encounter.encounterId(),
        steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId())), "print");

    assertThat(give.status()).as(give.body()).isEqualTo(201);
    DocumentReference document = give.as(DocumentReference.class);
    assertThat(document.getContentFirstRep().getAttachment().getLanguage()).isEqualTo("es");
    String html = new String(document.getContentFirstRep().getAttachment().getData(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(org.jsoup.Jsoup.parse(html).select(".watermark")).isEmpty();
  }

  @Test
  void anEnglishSpeakingPatientIsGivenEnglishAndAnUnavailableLanguageIsRefused() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N40.1");
    String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId()));
    Parameters french = GiveSteps.giveParameters(response, "print");
    french.addParameter().setName("language").setValue(new org.hl7.fhir.r4.model.CodeType("fr"));

    FhirHttp.Reply refused = http.post("Encounter/" + encounter.encounterId() + "/$give-education", french);
    FhirHttp.Reply given = steps.give(encounter.encounterId(), response, "print");

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).contains("'fr'");
    assertThat(given.status()).isEqualTo(201);
    assertThat(given.as(DocumentReference.class).getContentFirstRep().getAttachment().getLanguage()).isEqualTo("en");
  }

  private void speaks(String patientId, String language) {
    Patient patient = http.get("Patient/" + patientId).as(Patient.class);
    patient.addCommunication().setPreferred(true).getLanguage().addCoding()
        .setSystem("urn:ietf:bcp:47").setCode(language);
    assertThat(http.put("Patient/" + patientId, patient).status()).isEqualTo(200);
  }
}
