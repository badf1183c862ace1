package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/**
 * The whole flow (docs/api.md) over real HTTP against the embedded HAPI JPA server with the
 * demo patients loaded. Every record is counted by FHIR search afterwards, never taken from the
 * operation's reply. Subclasses choose the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EducationFlowContract {

  static final String PRACTITIONER = GiveSteps.PRACTITIONER;
  static final String ORIGIN = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/information-origin";

  /** A running plugin: the FHIR store's base URL and the plugin's (the same but beside an EHR). */
  record Running(String storeBase, String pluginBase, AutoCloseable stop, boolean interceptor) {}

  private Running running;
  FhirHttp http;
  final GiveSteps steps = new GiveSteps();

  /** Starts the plugin with the demo patients, in the mode under test; {@code dataDir} is a fresh folder. */
  abstract Running start(Path dataDir) throws Exception;

  void dropStore() throws Exception {}

  /** The client of the flow: a host whose authorisation rule asks for a caller gets the administrator's. */
  FhirHttp client(Running running) {
    return new FhirHttp(running.storeBase(), running.pluginBase());
  }

  static Running embedded(StoreSettings store) throws Exception {
    EmbeddedServer server = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0, store, Optional.empty(), true));
    String base = "http://127.0.0.1:" + server.port() + "/fhir";
    return new Running(base, base, server, true);
  }

  @BeforeAll
  void startServer() throws Exception {
    running = start(Files.createTempDirectory("prostateed-it"));
    http = client(running);
    steps.http = http;
  }

  @AfterAll
  void stopServer() throws Exception {
    if (running != null) {
      running.stop().close();
    }
    dropStore();
  }

  // docs/api.md, the flow: "Attaching twice never makes two Tasks." (the demo loader and the $education reads
  // both ran; the demo transaction PUTs every encounter again on each start)
  @Test
  void everyQualifyingDemoEncounterHasExactlyOneTaskAndTheOthersNone() {
    for (String qualifying : List.of("demo-cp", "demo-bph", "demo-acute", "demo-cancer", "demo-hemorrhoids", "demo-psa")) {
      List<Task> tasks = http.search(Task.class, "encounter=Encounter/" + qualifying + "-enc");
      assertThat(tasks).as(qualifying).singleElement().satisfies(task -> {
        assertThat(task.getFor().getReference()).isEqualTo("Patient/" + qualifying);
        assertThat(task.getFocus().getReference()).startsWith("Questionnaire/");
        assertThat(task.getStatus()).isIn(Task.TaskStatus.REQUESTED, Task.TaskStatus.COMPLETED, Task.TaskStatus.REJECTED);
      });
    }
    assertThat(http.count(Task.class, "encounter=Encounter/demo-unrelated-enc")).isZero();
    assertThat(http.count(Task.class, "encounter=Encounter/demo-error-enc")).isZero();
  }

  // docs/api.md, the flow: linked "either through Encounter.diagnosis.condition or through Condition.encounter".
  @Test
  void educationNamesTheQualifyingDiagnosisWhicheverWayItIsLinked() {
    ParametersParameterComponent viaEncounter = diagnoses("demo-cp-enc").get(0);
    ParametersParameterComponent viaCondition = diagnoses("demo-bph-enc").get(0);

    assertThat(((Coding) part(viaEncounter, "code")).getCode()).isEqualTo("N41.1");
    assertThat(((Reference) part(viaEncounter, "source")).getReference()).isEqualTo("Condition/demo-cp-dx1");
    assertThat(((Coding) part(viaCondition, "code")).getCode()).isEqualTo("266569009");
    assertThat(((Reference) part(viaCondition, "source")).getReference()).isEqualTo("Condition/demo-bph-dx1");
    assertThat(part(education("demo-cp-enc").getParameter("education"), "questionnaire").primitiveValue())
        .isEqualTo(Responses.QUESTIONNAIRE + "|" + Responses.VERSION);
  }

  @Test
  void unrelatedAndEnteredInErrorDiagnosesGiveNoEducation() {
    for (String encounter : List.of("demo-unrelated-enc", "demo-error-enc")) {
      Parameters education = education(encounter);
      assertThat(education.getParameter()).as(encounter).isEmpty();

      FhirHttp.Reply give = steps.give(encounter, steps.storeResponse(Responses.forEncounter(encounter.replace("-enc", ""), encounter)), "print");

      assertThat(give.status()).isEqualTo(422);
      assertThat(give.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).contains("no qualifying diagnosis");
      assertThat(http.count(DocumentReference.class, "encounter=Encounter/" + encounter)).isZero();
    }
  }

  // docs/api.md, the flow: one FHIR transaction writes DocumentReference, Communication, Provenance, AuditEvent,
  // and the Task set to completed. "Retrying the same give returns the same records."
  @Test
  void anEligibleGiveWritesEveryRecordOnceAndARetryReturnsTheSame() throws Exception {
    String response = steps.storeResponse(Responses.forEncounter("demo-cp", "demo-cp-enc"));
    assertThat(outcome(http.get("QuestionnaireResponse/" + response + "/$evaluate").as(Parameters.class))).isEqualTo("ELIGIBLE");

    FhirHttp.Reply first = steps.give("demo-cp-enc", response, "print");
    FhirHttp.Reply again = steps.give("demo-cp-enc", response, "print");

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    DocumentReference given = first.as(DocumentReference.class);
    assertThat(again.as(DocumentReference.class).getIdElement().getIdPart()).isEqualTo(given.getIdElement().getIdPart());

    List<DocumentReference> documents = http.search(DocumentReference.class, "encounter=Encounter/demo-cp-enc");
    assertThat(documents).singleElement().satisfies(document -> {
      assertThat(document.getStatus().toCode()).isEqualTo("current");
      assertThat(document.getSubject().getReference()).isEqualTo("Patient/demo-cp");
      assertThat(document.getContext().getEncounterFirstRep().getReference()).isEqualTo("Encounter/demo-cp-enc");
      var attachment = document.getContentFirstRep().getAttachment();
      assertThat(attachment.getLanguage()).isEqualTo("en");
      assertThat(attachment.getSize()).isEqualTo(attachment.getData().length);
      assertThat(attachment.getHash()).isEqualTo(MessageDigest.getInstance("SHA-1").digest(attachment.getData()));
      assertThat(attachment.getTitle()).isNotBlank();
      assertThat(document.getExtensionByUrl("http://prostateed.org/fhir/StructureDefinition/handout-version")
          .getValue().primitiveValue())
          .isEqualTo("http://prostateed.org/fhir/Library/handout-prostate-massage-en|0.2.0");
    });
    String documentRef = "DocumentReference/" + documents.get(0).getIdElement().getIdPart();
    assertThat(http.search(Communication.class, "encounter=Encounter/demo-cp-enc")).singleElement().satisfies(c -> {
      assertThat(c.getRecipientFirstRep().getReference()).isEqualTo("Patient/demo-cp");
      assertThat(c.getSender().getReference()).isEqualTo(PRACTITIONER);
      assertThat(c.getPayloadFirstRep().getContentReference().getReference()).isEqualTo(documentRef);
    });
    assertThat(http.search(Provenance.class, "target=" + documentRef)).singleElement().satisfies(p -> {
      assertThat(p.getAgentFirstRep().getWho().getReference()).isEqualTo(PRACTITIONER);
      assertThat(p.getEntity()).extracting(e -> e.getWhat().getReference())
          .contains("QuestionnaireResponse/" + response)
          .anySatisfy(ref -> assertThat(ref).startsWith("Library/"));
    });
    assertThat(http.count(AuditEvent.class, "entity=" + documentRef)).isEqualTo(1);
    assertThat(task("demo-cp-enc").getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
  }

  // docs/api.md: "handout and language may be omitted when the encounter has one applicable item (the
  // patient's language is then used)". Demo mode may give drafts, so the Spanish draft is chosen.
  // docs/api.md: $render gives "the exact bytes that were given, hash matches".
  @Test
  void renderReturnsTheExactBytesThatWereGivenAsHtmlAndPdf() throws Exception {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N42.81");
    String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId())
        .answer("performer", "http://prostateed.org/fhir/CodeSystem/massage-performer", "partner-carer"));
    DocumentReference given = steps.give(encounter.encounterId(), response, "print").as(DocumentReference.class);
    String id = given.getIdElement().getIdPart();

    for (String format : List.of("html", "pdf")) {
      FhirHttp.Raw rendered = http.getBytes("DocumentReference/" + id + "/$render?format=" + format);
      var stored = given.getContent().stream().map(DocumentReference.DocumentReferenceContentComponent::getAttachment)
          .filter(a -> a.getContentType().startsWith(format.equals("pdf") ? "application/pdf" : "text/html"))
          .findFirst().orElseThrow();

      assertThat(rendered.status()).isEqualTo(200);
      assertThat(rendered.contentType()).startsWith(stored.getContentType().split(";")[0]);
      assertThat(rendered.body()).isEqualTo(stored.getData());
      assertThat(MessageDigest.getInstance("SHA-1").digest(rendered.body())).isEqualTo(stored.getHash());
    }
    FhirHttp.Raw pdf = http.getBytes("DocumentReference/" + id + "/$render?format=pdf");
    try (var document = org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
      String text = new org.apache.pdfbox.text.PDFTextStripper().getText(document).replaceAll("\\s+", " ");
      assertThat(text).contains("DRAFT - not clinically reviewed");
    }
    assertThat(http.getBytes("DocumentReference/" + id + "/$render?format=docx").status()).isEqualTo(400);
    assertThat(http.getBytes("DocumentReference/nope/$render?format=pdf").status()).isEqualTo(404);
  }

  // Issue 3: "to PDF (openhtmltopdf) with a clear layout and large-print option".
  @Test
  void aLargePrintGiveStoresTheLargePrintRendering() throws Exception {
    GiveSteps.NewEncounter standard = steps.newQualifyingEncounter("N41.1");
    GiveSteps.NewEncounter large = steps.newQualifyingEncounter("N41.1");
    Parameters largeRequest = GiveSteps.giveParameters(
        steps.storeResponse(Responses.forEncounter(large.patientId(), large.encounterId())), "print");
    largeRequest.addParameter().setName("largePrint").setValue(new org.hl7.fhir.r4.model.BooleanType(true));

    DocumentReference largeDocument = http.post("Encounter/" + large.encounterId() + "/$give-education", largeRequest)
        .as(DocumentReference.class);
    DocumentReference standardDocument = http.get(steps.giveEligible(standard)).as(DocumentReference.class);

    assertThat(org.jsoup.Jsoup.parse(new String(largeDocument.getContentFirstRep().getAttachment().getData(),
        java.nio.charset.StandardCharsets.UTF_8)).body().hasClass("large")).isTrue();
    assertThat(org.jsoup.Jsoup.parse(new String(standardDocument.getContentFirstRep().getAttachment().getData(),
        java.nio.charset.StandardCharsets.UTF_8)).body().hasClass("large")).isFalse();
    try (var largePdf = org.apache.pdfbox.Loader.loadPDF(largeDocument.getContent().get(1).getAttachment().getData());
        var standardPdf = org.apache.pdfbox.Loader.loadPDF(standardDocument.getContent().get(1).getAttachment().getData())) {
      assertThat(largePdf.getNumberOfPages()).isGreaterThan(standardPdf.getNumberOfPages());
    }
  }

  @Test
  void aSpanishSpeakingPatientIsGivenTheSpanishVersion() {
    String response = steps.storeResponse(Responses.forEncounter("demo-bph", "demo-bph-enc")
        .answer("indication", "http://prostateed.org/fhir/CodeSystem/massage-indication", "bph"));

    FhirHttp.Reply give = steps.give("demo-bph-enc", response, "portal");

    assertThat(give.status()).isEqualTo(201);
    assertThat(http.search(DocumentReference.class, "encounter=Encounter/demo-bph-enc"))
        .singleElement().satisfies(d -> {
          assertThat(d.getContentFirstRep().getAttachment().getLanguage()).isEqualTo("es");
          assertThat(d.getExtensionByUrl("http://prostateed.org/fhir/StructureDefinition/handout-version")
              .getValue().primitiveValue())
              .isEqualTo("http://prostateed.org/fhir/Library/handout-prostate-massage-es|0.2.0");
        });
    assertThat(http.search(Communication.class, "encounter=Encounter/demo-bph-enc"))
        .singleElement().satisfies(c -> assertThat(c.getMediumFirstRep().getText()).isEqualTo("portal"));
  }

  @Test
  void aPatientWhoseLanguageHasNoVersionIsGivenEnglish() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    Patient patient = http.get("Patient/" + encounter.patientId()).as(Patient.class);
    patient.addCommunication().setPreferred(true).getLanguage().addCoding()
        .setSystem("urn:ietf:bcp:47").setCode("fr");
    assertThat(http.put("Patient/" + encounter.patientId(), patient).status()).isEqualTo(200);
    String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId()));

    FhirHttp.Reply give = steps.give(encounter.encounterId(), response, "print");

    assertThat(give.status()).isEqualTo(201);
    assertThat(give.as(DocumentReference.class).getContentFirstRep().getAttachment().getLanguage()).isEqualTo("en");
  }

  // docs/api.md, the flow: "CONTRAINDICATED writes no handout: the Task is set to rejected with the reasons,
  // and the refusal is audited."
  @Test
  void acuteProstatitisIsRefusedAndTheRefusalRecorded() {
    String response = steps.storeResponse(Responses.forEncounter("demo-acute", "demo-acute-enc").yes("acute-infection"));
    Parameters decision = http.get("QuestionnaireResponse/" + response + "/$evaluate").as(Parameters.class);
    assertThat(outcome(decision)).isEqualTo("CONTRAINDICATED");
    // The chart's current acute prostatitis is also one within the last weeks (issue 22).
    assertThat(reasons(decision)).containsExactly("acute-infection:absolute", "recent-acute-prostatitis:absolute");

    FhirHttp.Reply give = steps.give("demo-acute-enc", response, "print");

    assertThat(give.status()).isEqualTo(422);
    assertThat(give.as(OperationOutcome.class).getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
        .anySatisfy(message -> assertThat(message).startsWith("acute-infection (absolute, yes)"));
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/demo-acute-enc")).isZero();
    assertThat(http.count(Communication.class, "encounter=Encounter/demo-acute-enc")).isZero();
    Task task = task("demo-acute-enc");
    assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
    assertThat(task.getStatusReason().getText()).contains("acute-infection");
    assertThat(http.search(AuditEvent.class, "entity=Task/" + task.getIdElement().getIdPart()))
        .anySatisfy(audit -> assertThat(audit.getOutcome().toCode()).isEqualTo("4"));
  }

  @Test
  void prostateCancerIsRefused() {
    String response = steps.storeResponse(Responses.forEncounter("demo-cancer", "demo-cancer-enc")
        .answer("indication", "http://prostateed.org/fhir/CodeSystem/massage-indication", "bph")
        .yes("prostate-cancer"));

    assertThat(steps.give("demo-cancer-enc", response, "print").status()).isEqualTo(422);
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/demo-cancer-enc")).isZero();
    assertThat(task("demo-cancer-enc").getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
  }

  // docs/api.md, the flow: "REVIEW with the clinician's explicit acknowledgement of every flagged item".
  @Test
  void reviewIsRefusedWithoutEveryAcknowledgementAndGivenWithThem() {
    String response = steps.storeResponse(Responses.forEncounter("demo-hemorrhoids", "demo-hemorrhoids-enc")
        .yes("anorectal-disease", "bleeding-risk"));

    FhirHttp.Reply partly = steps.give("demo-hemorrhoids-enc", response, "print", "anorectal-disease");

    assertThat(partly.status()).isEqualTo(422);
    assertThat(partly.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).contains("bleeding-risk");
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/demo-hemorrhoids-enc")).isZero();
    assertThat(task("demo-hemorrhoids-enc").getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);

    FhirHttp.Reply given = steps.give("demo-hemorrhoids-enc", response, "print", "anorectal-disease", "bleeding-risk");

    assertThat(given.status()).isEqualTo(201);
    String documentRef = "DocumentReference/" + given.as(DocumentReference.class).getIdElement().getIdPart();
    assertThat(http.search(Provenance.class, "target=" + documentRef)).singleElement().satisfies(p -> assertThat(
        p.getExtensionsByUrl("http://prostateed.org/fhir/StructureDefinition/acknowledged-item"))
        .extracting(Extension::getValue).extracting(v -> ((StringType) v).getValue())
        .containsExactlyInAnyOrder("anorectal-disease", "bleeding-risk"));
  }

  @Test
  void aRaisedPsaNeedsItsAcknowledgement() {
    String response = steps.storeResponse(Responses.forEncounter("demo-psa", "demo-psa-enc")
        .answer("indication", "http://prostateed.org/fhir/CodeSystem/massage-indication", "bph")
        .yes("psa-abnormal"));

    assertThat(steps.give("demo-psa-enc", response, "print").status()).isEqualTo(422);
    assertThat(steps.give("demo-psa-enc", response, "print", "psa-abnormal").status()).isEqualTo(201);
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/demo-psa-enc")).isEqualTo(1);
  }

  // Issue 2: "contraindicated or incomplete answers get a 422 OperationOutcome, the Task is
  // rejected with the reasons, and no DocumentReference exists afterwards."
  @Test
  void incompleteAnswersAreRefused() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId())
        .unanswered("understanding"));

    FhirHttp.Reply give = steps.give(encounter.encounterId(), response, "print");

    assertThat(give.status()).isEqualTo(422);
    assertThat(give.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).startsWith("INCOMPLETE");
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/" + encounter.encounterId())).isZero();
    assertThat(task(encounter.encounterId()).getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
  }

  // docs/api.md: "409 when the response belongs to another encounter or patient".
  @Test
  void aResponseOfAnotherEncounterIsAConflictAndWritesNothing() {
    GiveSteps.NewEncounter mine = steps.newQualifyingEncounter("N41.1");
    GiveSteps.NewEncounter other = steps.newQualifyingEncounter("N40.1");
    String othersResponse = steps.storeResponse(Responses.forEncounter(other.patientId(), other.encounterId()));

    FhirHttp.Reply give = steps.give(mine.encounterId(), othersResponse, "print");

    assertThat(give.status()).isEqualTo(409);
    assertThat(give.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).contains("another patient");
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/" + mine.encounterId())).isZero();
    assertTaskStillOpen(mine.encounterId());
  }

  // docs/api.md: "FHIR endpoints answer an OperationOutcome with a 4xx for every bad input (never a
  // 5xx, never a partial write)."
  @Test
  void badGiveRequestsGetA4xxOperationOutcomeAndWriteNothing() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId()));
    String path = "Encounter/" + encounter.encounterId() + "/$give-education";
    Parameters noPractitioner = GiveSteps.giveParameters(response, "print");
    noPractitioner.getParameter().removeIf(p -> p.getName().equals("practitioner"));
    Parameters carrierPigeon = GiveSteps.giveParameters(response, "pigeon");
    Parameters unknownResponse = GiveSteps.giveParameters("does-not-exist", "print");
    Parameters unknownAcknowledgement = GiveSteps.giveParameters(response, "print");
    unknownAcknowledgement.addParameter().setName("acknowledge").setValue(new StringType("shoe-size"));

    assertThat(http.post(path, noPractitioner).status()).isEqualTo(400);
    assertThat(http.post(path, carrierPigeon).status()).isEqualTo(400);
    assertThat(http.post(path, unknownAcknowledgement).status()).isEqualTo(400);
    assertThat(http.post(path, unknownResponse).status()).isEqualTo(422);
    assertThat(http.post("Encounter/no-such-encounter/$give-education", GiveSteps.giveParameters(response, "print")).status())
        .isEqualTo(404);
    assertThat(http.postJson(path, "{ \"resourceType\": ").status()).isEqualTo(400);
    for (FhirHttp.Reply reply : List.of(http.post(path, noPractitioner), http.post(path, unknownResponse))) {
      assertThat(reply.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).isNotBlank();
    }
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/" + encounter.encounterId())).isZero();
    assertThat(http.count(Communication.class, "encounter=Encounter/" + encounter.encounterId())).isZero();
    assertTaskStillOpen(encounter.encounterId());
  }

  // docs/api.md: the CapabilityStatement lists every operation of the plugin, each with an
  // OperationDefinition that resolves and names the operation's parameters (issue 24).
  @Test
  void theCapabilityStatementListsThePluginOperationsWithDefinitionsThatResolve() {
    org.hl7.fhir.r4.model.CapabilityStatement capability =
        http.get("metadata").as(org.hl7.fhir.r4.model.CapabilityStatement.class);
    Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
    parameters.put("education", List.of());
    parameters.put("populate", List.of("subject", "context"));
    parameters.put("evaluate", List.of());
    parameters.put("preview-education", List.of());
    parameters.put("give-education", List.of("questionnaireResponse", "handout", "language", "medium", "practitioner",
        "acknowledge", "ruledOut", "largePrint"));
    parameters.put("record-teach-back", List.of());
    parameters.put("render", List.of("format"));

    Map<String, String> definitions = new java.util.LinkedHashMap<>();
    capability.getRestFirstRep().getResource().stream()
        .flatMap(resource -> resource.getOperation().stream())
        .filter(operation -> parameters.containsKey(operation.getName()))
        .forEach(operation -> definitions.put(operation.getName(), operation.getDefinition()));
    assertThat(definitions.keySet()).containsExactlyInAnyOrderElementsOf(parameters.keySet());
    // The definitions are the plugin's own: read them from the plugin's base, in every mode.
    FhirHttp plugin = http.onPluginBase();
    for (Map.Entry<String, String> definition : definitions.entrySet()) {
      String url = definition.getValue();
      org.hl7.fhir.r4.model.OperationDefinition resolved = plugin.get(url.substring(url.indexOf("OperationDefinition/")))
          .as(org.hl7.fhir.r4.model.OperationDefinition.class);
      assertThat(resolved.getCode()).isEqualTo(definition.getKey());
      assertThat(resolved.getParameter().stream().map(org.hl7.fhir.r4.model.OperationDefinition
          .OperationDefinitionParameterComponent::getName).toList()).as(definition.getKey())
          .containsAll(parameters.get(definition.getKey()));
    }
  }

  // docs/api.md, the flow: the Task is "created by the HAPI interceptor when the plugin runs inside a HAPI server".
  @Test
  void theInterceptorAttachesOneTaskWhenAConditionIsLinkedAfterTheEncounter() {
    org.junit.jupiter.api.Assumptions.assumeTrue(running.interceptor(),
        "beside an EHR no interceptor runs in the EHR's server: the CDS Hooks suggestion or the give attaches the Task");
    String patient = steps.created(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Test")));
    Encounter encounter = new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS)
        .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
        .setSubject(new Reference(patient));
    String encounterId = steps.created(encounter).substring("Encounter/".length());
    assertThat(http.count(Task.class, "encounter=Encounter/" + encounterId)).isZero();

    steps.created(GiveSteps.condition(patient, "N41.1", "confirmed").setEncounter(new Reference("Encounter/" + encounterId)));
    steps.created(GiveSteps.condition(patient, "N40.1", "confirmed").setEncounter(new Reference("Encounter/" + encounterId)));

    assertThat(http.count(Task.class, "encounter=Encounter/" + encounterId))
        .as(() -> http.get("Encounter/" + encounterId + "/$education").body())
        .isEqualTo(1);
  }

  @Test
  void anEnteredInErrorConditionAttachesNothing() {
    org.junit.jupiter.api.Assumptions.assumeTrue(running.interceptor(),
        "beside an EHR no interceptor runs: nothing could attach a Task, so this would prove nothing");
    GiveSteps.NewEncounter encounter = steps.newEncounter("N41.1", "entered-in-error");

    assertThat(http.count(Task.class, "encounter=Encounter/" + encounter.encounterId())).isZero();
  }

  // docs/api.md: a response "may carry only Questionnaire.url (no version), no id, subject or encounter:
  // $evaluate accepts it as it is".
  @Test
  void evaluateAcceptsAnSdcRendererResponseAsItIs() {
    QuestionnaireResponse bare = Responses.anonymous().questionnaire(Responses.QUESTIONNAIRE).yes("bleeding-risk").build();

    FhirHttp.Reply reply = http.post("QuestionnaireResponse/$evaluate", bare);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(outcome(reply.as(Parameters.class))).isEqualTo("REVIEW");
    assertThat(reasons(reply.as(Parameters.class))).containsExactly("bleeding-risk:relative");
  }

  @Test
  void evaluateRejectsResponsesItCannotTrust() {
    QuestionnaireResponse otherVersion = Responses.anonymous().questionnaire(Responses.QUESTIONNAIRE + "|9.9.9").build();
    QuestionnaireResponse unknownItem = Responses.anonymous().answer("shoe-size", "http://x", "42").build();
    QuestionnaireResponse inProgress = Responses.anonymous().build()
        .setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS);

    for (QuestionnaireResponse response : List.of(otherVersion, unknownItem, inProgress)) {
      FhirHttp.Reply reply = http.post("QuestionnaireResponse/$evaluate", response);
      assertThat(reply.status()).isEqualTo(422);
      assertThat(reply.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).isNotBlank();
    }
  }

  // Issue 4: "pre-fill with evidence for each chart source". docs/api.md, the flow: "A missing record never
  // pre-fills 'no'."
  @Test
  void populateAnswersFromEachChartSourceWithItsEvidence() {
    assertThat(prefilled("demo-acute", "demo-acute-enc"))
        .containsEntry("indication", "chronic-prostatitis <- Condition/demo-acute-dx1")
        .containsEntry("acute-infection", "Y <- Condition/demo-acute-dx2");
    assertThat(prefilled("demo-cancer", "demo-cancer-enc")).containsEntry("prostate-cancer", "Y <- Condition/demo-cancer-dx2");
    assertThat(prefilled("demo-hemorrhoids", "demo-hemorrhoids-enc"))
        .containsEntry("anorectal-disease", "Y <- Condition/demo-hemorrhoids-dx2")
        .containsEntry("bleeding-risk", "Y <- Condition/demo-hemorrhoids-dx3, MedicationRequest/demo-hemorrhoids-med1");
    assertThat(prefilled("demo-psa", "demo-psa-enc"))
        .containsEntry("indication", "bph <- Condition/demo-psa-dx1")
        .containsEntry("psa-abnormal", "Y <- Observation/demo-psa-psa1");

    Map<String, String> nothingRecorded = prefilled("demo-cp", "demo-cp-enc");
    assertThat(nothingRecorded).containsOnlyKeys("indication");
  }

  @Test
  void populateReadsAllergiesAndRecentProceduresButNotStaleOrRefutedOnes() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    String patient = "Patient/" + encounter.patientId();
    org.hl7.fhir.r4.model.AllergyIntolerance latex = new org.hl7.fhir.r4.model.AllergyIntolerance();
    latex.setPatient(new Reference(patient)).getCode().addCoding(new Coding("http://snomed.info/sct", "111088007", "Latex (substance)"));
    org.hl7.fhir.r4.model.AllergyIntolerance refuted = latex.copy();
    refuted.setVerificationStatus(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "refuted", null)));
    String latexRef = steps.created(latex);
    steps.created(refuted);
    String procedureCode = firstProcedureCode();
    org.hl7.fhir.r4.model.Procedure recent = new org.hl7.fhir.r4.model.Procedure()
        .setStatus(org.hl7.fhir.r4.model.Procedure.ProcedureStatus.COMPLETED).setSubject(new Reference(patient));
    recent.getCode().addCoding(new Coding("http://snomed.info/sct", procedureCode, null));
    recent.setPerformed(new org.hl7.fhir.r4.model.DateTimeType(java.util.Date.from(java.time.Instant.now().minus(java.time.Duration.ofDays(10)))));
    org.hl7.fhir.r4.model.Procedure old = recent.copy();
    old.setPerformed(new org.hl7.fhir.r4.model.DateTimeType("2024-01-10"));
    String recentRef = steps.created(recent);
    steps.created(old);

    Map<String, String> answers = prefilled(encounter.patientId(), encounter.encounterId());

    assertThat(answers).containsEntry("latex-allergy", "Y <- " + latexRef)
        .containsEntry("recent-procedure", "Y <- " + recentRef);
  }

  // Issue 4: "Chart beats the form: ... the give is refused even if the submitted answer says
  // 'no', and the reason says which record."
  @Test
  void anAbsoluteContraindicationInTheChartOutweighsANo() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    String acute = steps.created(GiveSteps.condition("Patient/" + encounter.patientId(), "N41.0", "confirmed"));
    String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId()));

    Parameters decision = http.get("QuestionnaireResponse/" + response + "/$evaluate").as(Parameters.class);
    FhirHttp.Reply give = steps.give(encounter.encounterId(), response, "print");

    assertThat(outcome(decision)).isEqualTo("CONTRAINDICATED");
    ParametersParameterComponent reason = decision.getParameters("reason").get(0);
    assertThat(part(reason, "finding").primitiveValue()).isEqualTo("chart");
    assertThat(((Reference) part(reason.getPart().stream().filter(p -> p.getName().equals("evidence")).findFirst()
        .orElseThrow(), "reference")).getReference()).isEqualTo(acute);
    assertThat(give.status()).isEqualTo(422);
    assertThat(give.as(OperationOutcome.class).getIssue())
        .anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains("acute-infection (absolute, chart)").contains(acute));
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/" + encounter.encounterId())).isZero();
  }

  // Issue 4: "the response must ... be recent enough (configurable)" (responseMaxAgeHours, 24 by default).
  @Test
  void aStaleResponseCannotBeUsedToGive() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    QuestionnaireResponse old = Responses.forEncounter(encounter.patientId(), encounter.encounterId()).build();
    old.setAuthoredElement(new org.hl7.fhir.r4.model.DateTimeType(
        java.util.Date.from(java.time.Instant.now().minus(java.time.Duration.ofHours(25)))));
    String response = http.post("QuestionnaireResponse", old).as(QuestionnaireResponse.class).getIdElement().getIdPart();

    FhirHttp.Reply give = steps.give(encounter.encounterId(), response, "print");

    assertThat(give.status()).isEqualTo(422);
    assertThat(give.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).contains("more than 24 hours ago");
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/" + encounter.encounterId())).isZero();
  }

  // Issue 4: "20 concurrent identical gives on the embedded server produce exactly one
  // DocumentReference", counted by FHIR search.
  @Test
  void twentyConcurrentIdenticalGivesWriteOneRelease() throws Exception {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId()));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<FhirHttp.Reply>> replies = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(pool.submit(() -> {
        start.await();
        return steps.give(encounter.encounterId(), response, "print");
      }));
    }
    start.countDown();
    List<FhirHttp.Reply> done = new java.util.ArrayList<>();
    for (var reply : replies) {
      done.add(reply.get(120, java.util.concurrent.TimeUnit.SECONDS));
    }
    pool.shutdown();

    assertThat(done).extracting(FhirHttp.Reply::status)
        .as(() -> done.stream().filter(r -> r.status() >= 300).map(FhirHttp.Reply::body).distinct().toList().toString())
        .allMatch(status -> status == 200 || status == 201)
        .filteredOn(status -> status == 201).hasSize(1);
    assertThat(done).extracting(reply -> reply.as(DocumentReference.class).getIdElement().getIdPart()).containsOnly(
        done.get(0).as(DocumentReference.class).getIdElement().getIdPart());
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/" + encounter.encounterId())).isEqualTo(1);
    assertThat(http.count(Communication.class, "encounter=Encounter/" + encounter.encounterId())).isEqualTo(1);
    String document = "DocumentReference/" + done.get(0).as(DocumentReference.class).getIdElement().getIdPart();
    assertThat(http.count(Provenance.class, "target=" + document)).isEqualTo(1);
    assertThat(http.count(AuditEvent.class, "entity=" + document)).isEqualTo(1);
  }

  // docs/api.md, the flow: teach-back "stored as a QuestionnaireResponse or Observation linked to the encounter".
  @Test
  void teachBackIsRecordedOnTheEncounterAndLinkedToTheHandout() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    GiveSteps.NewEncounter other = steps.newQualifyingEncounter("N41.1");
    String document = steps.giveEligible(encounter);

    FhirHttp.Reply recorded = teachBack(encounter.encounterId(), document, "partly");

    assertThat(recorded.status()).isEqualTo(201);
    assertThat(http.search(org.hl7.fhir.r4.model.Observation.class, "encounter=Encounter/" + encounter.encounterId()))
        .singleElement().satisfies(observation -> {
          assertThat(observation.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("partly");
          assertThat(observation.getDerivedFromFirstRep().getReference()).isEqualTo(document);
          assertThat(observation.getSubject().getReference()).isEqualTo("Patient/" + encounter.patientId());
          assertThat(observation.getPerformerFirstRep().getReference()).isEqualTo(PRACTITIONER);
        });
    assertThat(teachBack(encounter.encounterId(), document, "maybe").status()).isEqualTo(400);
    assertThat(teachBack(other.encounterId(), document, "yes").status()).isEqualTo(409);
    assertThat(http.count(org.hl7.fhir.r4.model.Observation.class, "encounter=Encounter/" + other.encounterId())).isZero();
  }

  // Issue 25: "A pre-filled 'yes' that the clinician changed to 'no' is visible as such in the
  // record and in the audit"; "A missing extension means the origin is unknown, not manual."
  @Test
  void aPrefilledYesChangedToNoIsAnOverrideInTheDecisionTheProvenanceAndTheAudit() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    org.hl7.fhir.r4.model.AllergyIntolerance latex = new org.hl7.fhir.r4.model.AllergyIntolerance();
    latex.setPatient(new Reference("Patient/" + encounter.patientId())).getCode()
        .addCoding(new Coding("http://snomed.info/sct", "111088007", "Latex (substance)"));
    steps.created(latex);
    assertThat(prefilled(encounter.patientId(), encounter.encounterId())).containsKey("latex-allergy");

    QuestionnaireResponse answered = Responses.forEncounter(encounter.patientId(), encounter.encounterId()).build();
    for (var item : answered.getItem()) {
      String source = switch (item.getLinkId()) {
        case "latex-allergy" -> "override"; // the chart said yes; the clinician answered no
        case "indication" -> "auto";
        case "performer" -> null; // no mark: unknown
        default -> "manual";
      };
      if (source != null) {
        Extension origin = item.getAnswerFirstRep().addExtension().setUrl(ORIGIN);
        origin.addExtension("source", new org.hl7.fhir.r4.model.CodeType(source));
        if (!source.equals("auto")) {
          origin.addExtension().setUrl("author").addExtension("practitioner", new Reference(PRACTITIONER));
        }
      }
    }
    String response = steps.storeResponse(answered);

    Parameters decision = http.get("QuestionnaireResponse/" + response + "/$evaluate").as(Parameters.class);
    Map<String, String> origins = new java.util.TreeMap<>();
    decision.getParameters("answerOrigin").forEach(part -> origins.put(part(part, "linkId").primitiveValue(),
        part(part, "source").primitiveValue() + part.getPart().stream().filter(p -> p.getName().equals("author"))
            .map(p -> " by " + ((Reference) p.getValue()).getReference()).findFirst().orElse("")));
    assertThat(origins).containsEntry("latex-allergy", "override by " + PRACTITIONER)
        .containsEntry("indication", "auto").containsEntry("performer", "unknown")
        .containsEntry("bleeding-risk", "manual by " + PRACTITIONER);

    FhirHttp.Reply give = steps.give(encounter.encounterId(), response, "print");
    assertThat(give.status()).as(give.body()).isEqualTo(201);
    String document = "DocumentReference/" + give.as(DocumentReference.class).getIdElement().getIdPart();
    assertThat(http.search(Provenance.class, "target=" + document)).singleElement().satisfies(provenance ->
        assertThat(provenance.getExtensionsByUrl("http://prostateed.org/fhir/StructureDefinition/answer-origin"))
            .anySatisfy(origin -> {
              assertThat(origin.getExtensionByUrl("item").getValue().primitiveValue()).isEqualTo("latex-allergy");
              assertThat(origin.getExtensionByUrl("source").getValue().primitiveValue()).isEqualTo("override");
              assertThat(((Reference) origin.getExtensionByUrl("author").getValue()).getReference()).isEqualTo(PRACTITIONER);
            }));
    assertThat(http.search(AuditEvent.class, "entity=" + document)).singleElement().satisfies(audit ->
        assertThat(audit.getEntity()).flatExtracting(AuditEvent.AuditEventEntityComponent::getDetail)
            .extracting(AuditEvent.AuditEventEntityDetailComponent::getType).containsExactly("overridden latex-allergy"));
  }

  // DTR's rule dtrx-1: "If source is 'override' or 'manual' then an author SHALL be supplied,
  // otherwise author is prohibited"; a response breaking it is not trusted (422).
  @Test
  void anAnswerOriginBreakingDtrsRuleIsRefused() {
    QuestionnaireResponse noAuthor = Responses.forEncounter("demo-cp", "demo-cp-enc").build();
    noAuthor.getItemFirstRep().getAnswerFirstRep().addExtension().setUrl(ORIGIN)
        .addExtension("source", new org.hl7.fhir.r4.model.CodeType("override"));

    FhirHttp.Reply reply = http.post("QuestionnaireResponse/$evaluate", noAuthor);

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).contains("dtrx-1");
  }

  // Issue 25: "validate every resource a give, a refusal, a teach-back and a feedback write with
  // HAPI's FhirInstanceValidator against base R4: no error or fatal issue" (RecordValidator; the
  // feedback's AuditEvent in CdsHooksIT).
  @Test
  void everyRecordAGiveARefusalAndATeachBackWriteIsValidR4() {
    GiveSteps.NewEncounter given = steps.newQualifyingEncounter("N41.1");
    String document = steps.giveEligible(given);
    assertThat(teachBack(given.encounterId(), document, "yes").status()).isEqualTo(201);
    GiveSteps.NewEncounter refused = steps.newQualifyingEncounter("N41.1");
    String response = steps.storeResponse(Responses.forEncounter(refused.patientId(), refused.encounterId())
        .yes("acute-infection"));
    assertThat(steps.give(refused.encounterId(), response, "print").status()).isEqualTo(422);

    List<org.hl7.fhir.r4.model.Resource> written = new java.util.ArrayList<>();
    for (String encounter : List.of(given.encounterId(), refused.encounterId())) {
      for (Class<? extends org.hl7.fhir.r4.model.Resource> type : List.of(DocumentReference.class, Communication.class,
          Task.class, org.hl7.fhir.r4.model.Observation.class)) {
        written.addAll(http.search(type, "encounter=Encounter/" + encounter));
      }
      written.addAll(http.search(AuditEvent.class, "entity=" + task(encounter).getIdElement().toUnqualifiedVersionless()));
    }
    written.addAll(http.search(Provenance.class, "target=" + document));
    written.addAll(http.search(AuditEvent.class, "entity=" + document));

    assertThat(written).extracting(r -> r.fhirType())
        .contains("DocumentReference", "Communication", "Task", "Observation", "Provenance", "AuditEvent");
    Map<String, List<String>> problems = new java.util.TreeMap<>();
    for (org.hl7.fhir.r4.model.Resource record : written) {
      List<String> found = RecordValidator.problems(record);
      if (!found.isEmpty()) {
        problems.put(record.getIdElement().toUnqualifiedVersionless().getValue(), found);
      }
    }
    assertThat(problems).as("errors, fatal issues and unlisted warnings").isEmpty();
  }

  // Issue 6: "handout preview in the patient's language with the personalised sections"; a
  // preview writes nothing.
  @Test
  void previewRendersThePersonalisedHandoutAndWritesNothing() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    int documents = http.count(DocumentReference.class, "_elements=id");
    Parameters request = new Parameters();
    request.addParameter().setName("response").setResource(Responses.forEncounter(encounter.patientId(),
        encounter.encounterId()).answer("performer", "http://prostateed.org/fhir/CodeSystem/massage-performer",
        "partner-carer").build());

    FhirHttp.Reply reply = http.post("Encounter/" + encounter.encounterId() + "/$preview-education", request);

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    Parameters preview = reply.as(Parameters.class);
    assertThat(preview.getParameter("language").getValue().primitiveValue()).isEqualTo("en");
    org.jsoup.nodes.Document html = org.jsoup.Jsoup.parse(preview.getParameter("html").getValue().primitiveValue());
    assertThat(html.text()).contains("If you are the helper").doesNotContain("If your doctor or nurse does it");
    assertThat(http.count(DocumentReference.class, "_elements=id")).isEqualTo(documents);
  }

  // Issue 22, section 4: an absolute item answered "don't know" is given only with a reason from
  // the content's rule-out code system; "any other reason, or none, is a 422 naming the linkId.
  // The reason goes into the Provenance and the AuditEvent of the give; the handout then carries
  // an item-specific section for the unknown."
  @Test
  void anAbsoluteDontKnowNeedsARuleOutReasonWhichTheGiveRecords() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId())
        .unknown("urinary-retention"));

    Parameters decision = http.get("QuestionnaireResponse/" + response + "/$evaluate").as(Parameters.class);
    FhirHttp.Reply acknowledgedOnly = steps.give(encounter.encounterId(), response, "print", "urinary-retention");
    FhirHttp.Reply guessed = steps.give(encounter.encounterId(), response, "print",
        Map.of("urinary-retention", RULE_OUT + "|guessed"));

    assertThat(outcome(decision)).isEqualTo("REVIEW");
    ParametersParameterComponent reason = decision.getParameters("reason").get(0);
    assertThat(part(reason, "linkId").primitiveValue()).isEqualTo("urinary-retention");
    assertThat(part(reason, "needed").primitiveValue()).isEqualTo("rule-out");
    assertThat(reason.getPart()).filteredOn(p -> p.getName().equals("ruleOutReason"))
        .extracting(p -> ((Coding) p.getValue()).getCode()).contains("examined-today", "tested-today");
    for (FhirHttp.Reply refused : List.of(acknowledgedOnly, guessed)) {
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.as(OperationOutcome.class).getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
          .anySatisfy(message -> assertThat(message).startsWith("urinary-retention: "));
    }
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/" + encounter.encounterId())).isZero();

    FhirHttp.Reply given = steps.give(encounter.encounterId(), response, "print",
        Map.of("urinary-retention", RULE_OUT + "|tested-today"));

    assertThat(given.status()).as(given.body()).isEqualTo(201);
    DocumentReference document = given.as(DocumentReference.class);
    String documentRef = "DocumentReference/" + document.getIdElement().getIdPart();
    assertThat(http.search(Provenance.class, "target=" + documentRef)).singleElement().satisfies(provenance ->
        assertThat(provenance.getExtensionsByUrl("http://prostateed.org/fhir/StructureDefinition/ruled-out-item"))
            .singleElement().satisfies(ruledOut -> {
              assertThat(ruledOut.getExtensionByUrl("item").getValue().primitiveValue()).isEqualTo("urinary-retention");
              Coding code = (Coding) ruledOut.getExtensionByUrl("reason").getValue();
              assertThat(code.getSystem() + "|" + code.getCode()).isEqualTo(RULE_OUT + "|tested-today");
            }));
    assertThat(http.search(org.hl7.fhir.r4.model.AuditEvent.class, "entity=" + documentRef)).singleElement()
        .satisfies(audit -> assertThat(audit.getEntity()).flatExtracting(e -> e.getDetail())
            .anySatisfy(detail -> {
              assertThat(detail.getType()).isEqualTo("ruled-out urinary-retention");
              assertThat(detail.getValue().primitiveValue()).startsWith(RULE_OUT + "|tested-today");
            }));
    String html = new String(document.getContentFirstRep().getAttachment().getData(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(org.jsoup.Jsoup.parse(html).select("h2").eachText()).contains("Trouble passing urine")
        .doesNotContain("A recent prostate infection");
  }

  // Issue 22: "A response to questionnaire 0.1.0 cannot be given once 0.2.0 is published (422,
  // naming the version)."
  @Test
  void aResponseToTheEarlierQuestionnaireVersionCannotBeGiven() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    String response = steps.storeResponse(Responses.forEncounter(encounter.patientId(), encounter.encounterId())
        .questionnaire(Responses.QUESTIONNAIRE + "|0.1.0"));

    FhirHttp.Reply give = steps.give(encounter.encounterId(), response, "print");

    assertThat(give.status()).isEqualTo(422);
    assertThat(give.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics())
        .contains("version 0.1.0 is not the current version 0.2.0");
    assertThat(http.count(DocumentReference.class, "encounter=Encounter/" + encounter.encounterId())).isZero();
  }

  // Issue 22, sections 3 and 5: the new items' pre-fill rules, from the chart, with evidence.
  @Test
  void populateReadsTheNewItemsFromTheChartWithTheirEvidence() {
    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    String patient = "Patient/" + encounter.patientId();
    String spinal = steps.created(GiveSteps.condition(patient, "S24.102S", "confirmed"));
    Condition treated = GiveSteps.condition(patient, "N41.0", "confirmed");
    treated.setClinicalStatus(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved", null)));
    treated.setAbatement(new org.hl7.fhir.r4.model.DateTimeType(daysAgo(14)));
    String recentAcute = steps.created(treated);
    String apixaban = steps.created(medication(patient, "1364445", "apixaban 5 MG Oral Tablet", daysAgo(30)));
    String finasteride = steps.created(medication(patient, "310346", "finasteride 5 MG Oral Tablet", daysAgo(400)));
    org.hl7.fhir.r4.model.Observation psa = new org.hl7.fhir.r4.model.Observation()
        .setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL).setSubject(new Reference(patient));
    psa.getCode().addCoding(new Coding("http://loinc.org", "2857-1", "PSA"));
    psa.setEffective(new org.hl7.fhir.r4.model.DateTimeType(daysAgo(20)));
    psa.setValue(new org.hl7.fhir.r4.model.Quantity().setValue(2.6).setUnit("ng/mL")
        .setSystem("http://unitsofmeasure.org").setCode("ng/mL"));
    String psaRef = steps.created(psa);

    Map<String, String> answers = prefilled(encounter.patientId(), encounter.encounterId());

    assertThat(answers)
        .containsEntry("spinal-cord-injury", "Y <- " + spinal)
        .containsEntry("recent-acute-prostatitis", "Y <- " + recentAcute)
        .containsEntry("bleeding-risk", "Y <- " + apixaban)
        .containsEntry("psa-abnormal", "Y <- " + psaRef + ", " + finasteride)
        .doesNotContainKey("acute-infection");
  }

  private static java.util.Date daysAgo(int days) {
    return java.util.Date.from(java.time.Instant.now().minus(java.time.Duration.ofDays(days)));
  }

  private static org.hl7.fhir.r4.model.MedicationRequest medication(String patient, String rxnorm, String display,
      java.util.Date authored) {
    org.hl7.fhir.r4.model.MedicationRequest request = new org.hl7.fhir.r4.model.MedicationRequest()
        .setStatus(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.ACTIVE)
        .setIntent(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent.ORDER)
        .setSubject(new Reference(patient)).setAuthoredOn(authored);
    request.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", rxnorm, display)));
    return request;
  }

  static final String RULE_OUT = "http://prostateed.org/fhir/CodeSystem/rule-out-reason";

  // ---- helpers -------------------------------------------------------------------------------

  FhirHttp.Reply teachBack(String encounterId, String document, String result) {
    Parameters parameters = new Parameters();
    parameters.addParameter().setName("document").setValue(new Reference(document));
    parameters.addParameter().setName("result").setValue(new org.hl7.fhir.r4.model.CodeType(result));
    parameters.addParameter().setName("practitioner").setValue(new Reference(PRACTITIONER));
    return http.post("Encounter/" + encounterId + "/$record-teach-back", parameters);
  }

  /** linkId -> "code <- evidence references" of a $populate for the encounter. */
  Map<String, String> prefilled(String patientId, String encounterId) {
    String questionnaire = http.search(org.hl7.fhir.r4.model.Questionnaire.class, "url=" + Responses.QUESTIONNAIRE)
        .get(0).getIdElement().getIdPart();
    Parameters request = new Parameters();
    request.addParameter().setName("subject").setValue(new Reference("Patient/" + patientId));
    ParametersParameterComponent context = request.addParameter().setName("context");
    context.addPart().setName("name").setValue(new StringType("encounter"));
    context.addPart().setName("content").setValue(new Reference("Encounter/" + encounterId));
    FhirHttp.Reply reply = http.post("Questionnaire/" + questionnaire + "/$populate", request);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    QuestionnaireResponse response = (QuestionnaireResponse) reply.as(Parameters.class).getParameter("response").getResource();
    assertThat(response.getStatus()).isEqualTo(QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS);
    Map<String, String> answers = new java.util.LinkedHashMap<>();
    for (var item : response.getItem()) {
      if (item.hasAnswer()) {
        var answer = item.getAnswerFirstRep();
        String evidence = answer.getExtensionsByUrl("http://prostateed.org/fhir/StructureDefinition/prefill-evidence").stream()
            .map(e -> ((Reference) e.getExtensionByUrl("reference").getValue()).getReference())
            .collect(java.util.stream.Collectors.joining(", "));
        answers.put(item.getLinkId(), answer.getValueCoding().getCode() + " <- " + evidence);
        // Issue 25: every answer $populate gives is marked DTR information-origin 'auto', with no author.
        assertThat(answer.getExtensionsByUrl(ORIGIN)).as(item.getLinkId()).singleElement().satisfies(origin -> {
          assertThat(origin.getExtensionByUrl("source").getValue().primitiveValue()).isEqualTo("auto");
          assertThat(origin.getExtensionByUrl("author")).isNull();
        });
      }
    }
    return answers;
  }

  /** A procedure code of the shipped recent-procedure value set. */
  static String firstProcedureCode() {
    return org.prostateed.content.ShippedContent.library()
        .codeSet("http://prostateed.org/fhir/ValueSet/recent-procedure").rules().get(0).code();
  }

  Parameters education(String encounterId) {
    FhirHttp.Reply reply = http.get("Encounter/" + encounterId + "/$education");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.as(Parameters.class);
  }

  List<ParametersParameterComponent> diagnoses(String encounterId) {
    return education(encounterId).getParameters("diagnosis");
  }

  /**
   * A refused request leaves the encounter's Task open: requested where the interceptor attached
   * it, and not yet there beside an EHR (where only the CDS suggestion or a give attaches it).
   */
  void assertTaskStillOpen(String encounterId) {
    List<Task> tasks = http.search(Task.class, "encounter=Encounter/" + encounterId);
    if (running.interceptor()) {
      assertThat(tasks).singleElement().satisfies(t -> assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED));
    } else {
      assertThat(tasks).allSatisfy(t -> assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED));
    }
  }

  Task task(String encounterId) {
    List<Task> tasks = http.search(Task.class, "encounter=Encounter/" + encounterId);
    assertThat(tasks).hasSize(1);
    return tasks.get(0);
  }

  static org.hl7.fhir.r4.model.Type part(ParametersParameterComponent parameter, String name) {
    return parameter.getPart().stream().filter(p -> p.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no part " + name)).getValue();
  }

  static String outcome(Parameters parameters) {
    return parameters.getParameter("outcome").getValue().primitiveValue();
  }

  /** {@code linkId:severity} of every reason. */
  static List<String> reasons(Parameters parameters) {
    return parameters.getParameters("reason").stream()
        .map(reason -> part(reason, "linkId").primitiveValue() + ":" + part(reason, "severity").primitiveValue())
        .toList();
  }
}
