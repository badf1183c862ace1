package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23: "Every store call inside a HAPI host carries the caller's RequestDetails ... so the
 * host's AuthorizationInterceptor, consent and partitioning apply to what the plugin reads and
 * writes." A host guards its data with {@link HostRules}: a clinician of one patient (demo-cp)
 * may use that patient's compartment and the plugin's operations. Every plugin operation asked
 * about another patient's encounter, response or document answers 403, leaks nothing of that
 * patient, and writes nothing; the allowed patient's flow passes end to end. Subclasses choose
 * the host.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CallerRightsContract {

  private static final String OTHER = "demo-bph";
  private static final String OTHER_ENCOUNTER = "demo-bph-enc";

  /** A host with the plugin and the demo patients; {@code guard} puts an interceptor in front of it. */
  record Host(String base, java.util.function.Consumer<Object> guard, AutoCloseable stop) {}

  abstract Host start(Path dir) throws Exception;

  private Host host;
  private FhirHttp admin;
  private FhirHttp clinician;
  private String questionnaire;
  private String otherResponse;
  private String otherDocument;

  @BeforeAll
  void startHost(@TempDir Path dir) throws Exception {
    host = start(dir);
    host.guard().accept(new HostRules());
    FhirHttp http = new FhirHttp(host.base());
    admin = http.withBearer(HostRules.ADMIN);
    clinician = http.withBearer(HostRules.clinicianOf("demo-cp"));
    GiveSteps steps = new GiveSteps();
    steps.http = admin;
    questionnaire = admin.search(Questionnaire.class, "url=" + Responses.QUESTIONNAIRE).get(0).getIdElement().getIdPart();
    otherResponse = steps.storeResponse(Responses.forEncounter(OTHER, OTHER_ENCOUNTER)
        .answer("indication", "http://prostateed.org/fhir/CodeSystem/massage-indication", "bph"));
    FhirHttp.Reply given = steps.give(OTHER_ENCOUNTER, otherResponse, "print");
    assertThat(given.status()).as(given.body()).isEqualTo(201);
    otherDocument = given.as(DocumentReference.class).getIdElement().getIdPart();
  }

  @AfterAll
  void stopHost() throws Exception {
    if (host != null) {
      host.stop().close();
    }
  }

  @Test
  void theHostsRulesHoldForPlainReads() {
    assertThat(clinician.get("Encounter/" + OTHER_ENCOUNTER).status()).isEqualTo(403);
    assertThat(clinician.get("Encounter/demo-cp-enc").status()).isEqualTo(200);
  }

  @Test
  void everyOperationAboutAnotherPatientIs403LeaksNothingAndWritesNothing() {
    Map<String, Integer> before = admin.counts();
    List<FhirHttp.Reply> replies = new ArrayList<>();

    replies.add(clinician.get("Encounter/" + OTHER_ENCOUNTER + "/$education"));
    replies.add(clinician.post("Questionnaire/" + questionnaire + "/$populate", populate(OTHER, OTHER_ENCOUNTER)));
    replies.add(clinician.get("QuestionnaireResponse/" + otherResponse + "/$evaluate"));
    replies.add(clinician.post("QuestionnaireResponse/$evaluate", Responses.forEncounter(OTHER, OTHER_ENCOUNTER).build()));
    replies.add(clinician.post("Encounter/" + OTHER_ENCOUNTER + "/$preview-education", preview(OTHER, OTHER_ENCOUNTER)));
    replies.add(clinician.post("Encounter/" + OTHER_ENCOUNTER + "/$give-education",
        GiveSteps.giveParameters(otherResponse, "print")));
    replies.add(clinician.post("Encounter/demo-cp-enc/$give-education", GiveSteps.giveParameters(otherResponse, "print")));
    replies.add(clinician.get("DocumentReference/" + otherDocument + "/$render?format=html"));
    replies.add(clinician.post("Encounter/" + OTHER_ENCOUNTER + "/$record-teach-back", teachBack(otherDocument)));

    assertThat(replies).allSatisfy(reply -> {
      assertThat(reply.status()).as(reply.body()).isEqualTo(403);
      assertThat(reply.body()).doesNotContain(OTHER, "266569009", "Benign prostatic hyperplasia", otherResponse);
    });
    assertThat(admin.counts()).isEqualTo(before);
  }

  @Test
  void theAllowedPatientsFlowPassesEndToEnd() {
    FhirHttp.Reply education = clinician.get("Encounter/demo-cp-enc/$education");
    assertThat(education.status()).as(education.body()).isEqualTo(200);
    FhirHttp.Reply populated = clinician.post("Questionnaire/" + questionnaire + "/$populate",
        populate("demo-cp", "demo-cp-enc"));
    assertThat(populated.status()).as(populated.body()).isEqualTo(200);

    FhirHttp.Reply stored = clinician.post("QuestionnaireResponse",
        Responses.forEncounter("demo-cp", "demo-cp-enc").build());
    assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    String response = stored.as(QuestionnaireResponse.class).getIdElement().getIdPart();
    FhirHttp.Reply evaluated = clinician.get("QuestionnaireResponse/" + response + "/$evaluate");
    assertThat(evaluated.status()).as(evaluated.body()).isEqualTo(200);
    assertThat(evaluated.as(Parameters.class).getParameter("outcome").getValue().primitiveValue()).isEqualTo("ELIGIBLE");
    FhirHttp.Reply preview = clinician.post("Encounter/demo-cp-enc/$preview-education", preview("demo-cp", "demo-cp-enc"));
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);

    FhirHttp.Reply given = clinician.post("Encounter/demo-cp-enc/$give-education",
        GiveSteps.giveParameters(response, "print"));
    assertThat(given.status()).as(given.body()).isEqualTo(201);
    String document = given.as(DocumentReference.class).getIdElement().getIdPart();
    assertThat(clinician.getBytes("DocumentReference/" + document + "/$render?format=pdf").status()).isEqualTo(200);
    FhirHttp.Reply taught = clinician.post("Encounter/demo-cp-enc/$record-teach-back", teachBack(document));
    assertThat(taught.status()).as(taught.body()).isEqualTo(201);
  }

  private static Parameters populate(String patientId, String encounterId) {
    Parameters request = new Parameters();
    request.addParameter().setName("subject").setValue(new Reference("Patient/" + patientId));
    Parameters.ParametersParameterComponent context = request.addParameter().setName("context");
    context.addPart().setName("name").setValue(new StringType("encounter"));
    context.addPart().setName("content").setValue(new Reference("Encounter/" + encounterId));
    return request;
  }

  private static Parameters preview(String patientId, String encounterId) {
    Parameters request = new Parameters();
    request.addParameter().setName("response").setResource(Responses.forEncounter(patientId, encounterId).build());
    return request;
  }

  private static Parameters teachBack(String document) {
    Parameters parameters = new Parameters();
    parameters.addParameter().setName("document").setValue(new Reference("DocumentReference/" + document));
    parameters.addParameter().setName("result").setValue(new CodeType("yes"));
    parameters.addParameter().setName("practitioner").setValue(new Reference(GiveSteps.PRACTITIONER));
    return parameters;
  }
}
