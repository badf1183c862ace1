package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.prostateed.fhir.FhirIds;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;

/**
 * CDS Hooks 2.0 over real HTTP, every call signed with ES384 by a test EHR whose keys the server
 * trusts (issue 5). Prefetch is built from the server's own FHIR API, as an EHR would send it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdsHooksIT {

  private static final String ISSUER = "https://ehr.example.test";
  private static final String OVERRIDE_REASON = "http://prostateed.org/fhir/CodeSystem/override-reason";
  /** A second EHR, configured in the trust file as one that applies system actions. */
  private static final String SYSTEM_ACTIONS_ISSUER = "https://system-actions-ehr.example.test";
  private static final String START = "prostate-education-encounter-start";
  private static final String VIEW = "prostate-education-patient-view";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final GiveSteps steps = new GiveSteps();
  private EmbeddedServer server;
  private ECKey key;
  private String base;
  private FhirHttp http;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    key = new ECKeyGenerator(Curve.P_384).keyID("ehr-key-1").generate();
    Path trust = dir.resolve("cds-trust.json");
    String jwks = new JWKSet(key.toPublicJWK()).toString();
    Files.writeString(trust, "{\"issuers\": [{\"iss\": \"" + ISSUER + "\", \"jwks\": " + jwks + "},"
        + " {\"iss\": \"" + SYSTEM_ACTIONS_ISSUER + "\", \"jwks\": " + jwks + ", \"systemActions\": true}]}");
    server = EmbeddedServer.start(new ServerSettings("127.0.0.1", 0, StoreSettings.h2File(dir.resolve("data")),
        Optional.empty(), true).withCds(Optional.of(trust), false));
    base = "http://127.0.0.1:" + server.port();
    http = new FhirHttp(base + "/fhir");
    steps.http = http;
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  // CDS Hooks 2.0 "Discovery": the services, each with hook, id, description and prefetch.
  @Test
  void discoveryListsBothServicesSortedWithTheirPrefetch() throws Exception {
    JsonNode services = json.readTree(get("/cds-services").body()).get("services");

    assertThat(services).extracting(s -> s.get("id").asText()).containsExactly(START, VIEW);
    assertThat(services).extracting(s -> s.get("hook").asText()).containsExactly("encounter-start", "patient-view");
    assertThat(services.get(0).get("prefetch").get("encounter").asText()).isEqualTo("Encounter/{{context.encounterId}}");
    // Issue 23: Conditions are asked for by the codes the content reads, never the whole list.
    assertThat(services.get(0).get("prefetch").get("conditions").asText())
        .startsWith("Condition?patient={{context.patientId}}&code=").contains("N41.1,", "C61,");
    assertThat(services.get(1).has("prefetch")).isTrue();
    assertThat(services.get(1).get("prefetch").has("encounter")).isFalse();
    // Issue 26: "Discovery says what the service needs: usageRequirements (the trust file and the
    // prefetch the service relies on)".
    for (JsonNode service : services) {
      String needs = service.get("usageRequirements").asText();
      assertThat(needs).contains("trust file");
      service.get("prefetch").forEach(template -> assertThat(needs).contains(template.asText().split("[?/]", 2)[0]));
    }
    assertThat(services.get(1).get("usageRequirements").asText()).doesNotContain("Encounter");
  }

  // Issue 5: "critical: an absolute contraindication in the chart ... with overrideReasons";
  // "The hook answers from prefetch without touching the FHIR store when prefetch is complete."
  @Test
  void anAbsoluteContraindicationGivesOneCriticalCardFromPrefetchAlone() throws Exception {
    ObjectNode request = request(START, "demo-acute", "demo-acute-enc", true);
    request.put("fhirServer", "http://127.0.0.1:9/unreachable");

    JsonNode card = singleCard(call(START, request, token(START)));

    assertThat(card.get("indicator").asText()).isEqualTo("critical");
    assertThat(card.get("summary").asText()).hasSizeLessThan(140).startsWith("Do not give").contains("Acute prostatitis");
    assertThat(card.get("overrideReasons")).isNotEmpty();
    assertThat(UUID.fromString(card.get("uuid").asText())).isNotNull();
    assertThat(card.get("source").get("label").asText()).contains("0.2.0");
    assertThat(card.has("suggestions")).isFalse();
  }

  @Test
  void relativeContraindicationsGiveAWarningWithASmartLink() throws Exception {
    JsonNode card = singleCard(call(START, request(START, "demo-hemorrhoids", "demo-hemorrhoids-enc", true),
        token(START)));

    assertThat(card.get("indicator").asText()).isEqualTo("warning");
    assertThat(card.get("summary").asText()).hasSizeLessThan(140).contains("anorectal-disease").contains("bleeding-risk");
    JsonNode link = card.get("links").get(0);
    assertThat(link.get("type").asText()).isEqualTo("smart");
    assertThat(link.get("url").asText()).isEqualTo(base + "/app/launch");
    assertThat(json.readTree(link.get("appContext").asText()).get("encounterId").asText()).isEqualTo("demo-hemorrhoids-enc");
  }

  // Issue 5: "info: a qualifying diagnosis and no check yet: ... a SMART link ..., a suggestion that
  // creates the Task".
  @Test
  void aQualifyingEncounterWithoutATaskGetsAnInfoCardWithATaskSuggestion() throws Exception {
    ObjectNode request = request(START, "demo-cp", "demo-cp-enc", true);
    request.with("prefetch").set("tasks", json.readTree("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}"));
    request.with("prefetch").set("responses", json.readTree("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}"));
    request.with("prefetch").set("documents", json.readTree("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}"));

    JsonNode card = singleCard(call(START, request, token(START)));

    assertThat(card.get("indicator").asText()).isEqualTo("info");
    assertThat(card.get("selectionBehavior").asText()).isEqualTo("at-most-one");
    JsonNode action = card.get("suggestions").get(0).get("actions").get(0);
    assertThat(action.get("type").asText()).isEqualTo("create");
    assertThat(action.get("resource").get("resourceType").asText()).isEqualTo("Task");
    assertThat(action.get("resource").get("encounter").get("reference").asText()).isEqualTo("Encounter/demo-cp-enc");
    assertThat(card.get("links").get(0).get("type").asText()).isEqualTo("smart");
  }

  // Issue 26: "a systemActions client gets the Task as a systemAction and no suggestion, others the
  // suggestion; two calls still make one Task." The EHR's store is played by the prefetch: no Task
  // before the first call, the Task the EHR created from the action before the second.
  @Test
  void aSystemActionsClientGetsTheTaskAsASystemActionOnceAndNoSuggestion() throws Exception {
    ObjectNode request = request(START, "demo-cp", "demo-cp-enc", true);
    String empty = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}";
    for (String key : List.of("tasks", "responses", "documents")) {
      request.with("prefetch").set(key, json.readTree(empty));
    }

    JsonNode first = json.readTree(call(START, request, tokenFrom(START, SYSTEM_ACTIONS_ISSUER)).body());
    JsonNode suggested = json.readTree(call(START, request, tokenFrom(START, ISSUER)).body());

    assertThat(first.get("systemActions")).singleElement().satisfies(action -> {
      assertThat(action.get("type").asText()).isEqualTo("create");
      assertThat(action.get("resource").get("resourceType").asText()).isEqualTo("Task");
      assertThat(action.get("resource").get("encounter").get("reference").asText()).isEqualTo("Encounter/demo-cp-enc");
    });
    JsonNode card = first.get("cards").get(0);
    assertThat(card.has("suggestions")).as("never both").isFalse();
    assertThat(card.has("selectionBehavior")).isFalse();
    assertThat(card.get("links").get(0).get("type").asText()).isEqualTo("smart");
    assertThat(suggested.has("systemActions")).as("a client without systemActions").isFalse();
    assertThat(suggested.get("cards").get(0).get("suggestions").get(0).get("actions").get(0))
        .isEqualTo(first.get("systemActions").get(0));

    ObjectNode created = (ObjectNode) first.get("systemActions").get(0).get("resource").deepCopy();
    created.put("id", "from-the-system-action");
    ObjectNode tasks = (ObjectNode) json.readTree(empty);
    tasks.putArray("entry").addObject().set("resource", created);
    request.with("prefetch").set("tasks", tasks);
    JsonNode second = json.readTree(call(START, request, tokenFrom(START, SYSTEM_ACTIONS_ISSUER)).body());

    assertThat(second.has("systemActions")).as("the Task exists: no second one").isFalse();
    assertThat(second.get("cards").get(0).has("suggestions")).isFalse();
  }

  // Issue 22, section 4: "The decision, the app, the CDS card and the reasons all say what is
  // needed": a completed check with an absolute item answered "don't know" gets a warning card that
  // asks for what was done today to rule it out.
  @Test
  void aCheckWithAnAbsoluteDontKnowGetsACardAskingForTheRuleOut() throws Exception {
    ObjectNode request = request(START, "demo-cp", "demo-cp-enc", true);
    org.hl7.fhir.r4.model.QuestionnaireResponse response = Responses.forEncounter("demo-cp", "demo-cp-enc")
        .unknown("prostate-cancer").build();
    response.setId("check-1");
    org.hl7.fhir.r4.model.Bundle responses = new org.hl7.fhir.r4.model.Bundle()
        .setType(org.hl7.fhir.r4.model.Bundle.BundleType.SEARCHSET);
    responses.addEntry().setResource(response);
    request.with("prefetch").set("responses",
        json.readTree(FhirHttp.FHIR.newJsonParser().encodeResourceToString(responses)));
    request.with("prefetch").set("documents", json.readTree("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}"));

    JsonNode card = singleCard(call(START, request, token(START)));

    assertThat(card.get("indicator").asText()).isEqualTo("warning");
    assertThat(card.get("summary").asText()).hasSizeLessThan(140)
        .contains("record how prostate-cancer was ruled out today");
    assertThat(card.get("detail").asText()).contains("**prostate-cancer**", "Records checked today");
  }

  @Test
  void noCardWhenNothingQualifiesOrTheHandoutWasGiven() throws Exception {
    assertThat(cards(call(START, request(START, "demo-unrelated", "demo-unrelated-enc", true), token(START)))).isEmpty();

    GiveSteps.NewEncounter encounter = steps.newQualifyingEncounter("N41.1");
    steps.giveEligible(encounter);

    assertThat(cards(call(START, request(START, encounter.patientId(), encounter.encounterId(), true), token(START))))
        .isEmpty();
  }

  // Issue 5: "when a prefetch key is missing, fetch from fhirServer with the fhirAuthorization
  // bearer token; when neither is possible, answer 412. Tolerate an OperationOutcome or null in
  // place of prefetch data."
  @Test
  void missingPrefetchIsFetchedOrAnswered412() throws Exception {
    ObjectNode withoutServer = request(START, "demo-acute", "demo-acute-enc", true);
    withoutServer.with("prefetch").remove("conditions");
    assertThat(call(START, withoutServer, token(START)).statusCode()).isEqualTo(412);

    ObjectNode fetching = request(START, "demo-acute", "demo-acute-enc", true);
    fetching.with("prefetch").putNull("conditions");
    fetching.with("prefetch").set("observations", json.readTree("{\"resourceType\":\"OperationOutcome\",\"issue\":[]}"));
    fetching.put("fhirServer", base + "/fhir");
    fetching.set("fhirAuthorization", json.readTree(
        "{\"access_token\":\"opaque\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"patient/*.read\",\"subject\":\"cds\"}"));

    assertThat(singleCard(call(START, fetching, token(START))).get("indicator").asText()).isEqualTo("critical");
  }

  // docs/api.md: "Every bad input gets a clear 4xx." Prefetch is read as JSON, not through HAPI's parser,
  // so a value that is no FHIR resource must still be refused by name.
  @Test
  void prefetchThatIsNoFhirResourceIsRefusedWith400() throws Exception {
    Map<String, String> bad = Map.of(
        "conditions", "\"Condition?patient=demo-acute\"",
        "observations", "{\"resourceType\":\"Spreadsheet\"}",
        "procedures", "{\"entry\":[]}",
        "allergies", "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"id\":\"no-type\"}}]}",
        "medicationRequests", "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":[1,2]}]}");
    for (Map.Entry<String, String> value : bad.entrySet()) {
      ObjectNode request = request(START, "demo-cp", "demo-cp-enc", true);
      request.with("prefetch").set(value.getKey(), json.readTree(value.getValue()));

      HttpResponse<String> reply = call(START, request, token(START));

      assertThat(reply.statusCode()).as(value.getKey()).isEqualTo(400);
      assertThat(json.readTree(reply.body()).get("error").asText())
          .isEqualTo("prefetch '" + value.getKey() + "' is not a FHIR resource");
    }
  }

  // Issue 7: "huge bodies" among the hostile inputs, each "a 4xx with a clear message". The
  // request is read only after the JWT is verified, and no further than the limit.
  @Test
  void aRequestOverTheLimitIsRefusedWith413() throws Exception {
    ObjectNode request = request(START, "demo-cp", "demo-cp-enc", true);
    request.with("prefetch").with("patient").put("text", "A".repeat(17 * 1024 * 1024));

    HttpResponse<String> reply = call(START, request, token(START));

    assertThat(reply.statusCode()).isEqualTo(413);
    assertThat(json.readTree(reply.body()).get("error").asText()).isEqualTo("the request is larger than 16 MiB");
  }

  @Test
  void patientViewAnswersWithoutAnEncounter() throws Exception {
    assertThat(singleCard(call(VIEW, request(VIEW, "demo-cancer", null, true), token(VIEW))).get("indicator").asText())
        .isEqualTo("critical");
  }

  // Issue 5: "Feedback (accepted, overridden with reason) is stored as an AuditEvent."; issue 26:
  // "accepted and overridden feedback land in the AuditEvent with the coding and the user's comment".
  @Test
  void feedbackIsStoredAsAnAuditEventWithTheReasonAndTheComment() throws Exception {
    int before = http.count(AuditEvent.class, "subtype=http://prostateed.org/fhir/CodeSystem/cds-feedback%7Coverridden");
    String card = UUID.randomUUID().toString();
    String feedback = "{\"feedback\":[{\"card\":\"" + card + "\",\"outcome\":\"overridden\","
        + "\"overrideReason\":{\"reason\":{\"code\":\"chart-incorrect\",\"system\":\"" + OVERRIDE_REASON + "\"},"
        + "\"userComment\":\"Treated last month; the problem list is out of date\"},"
        + "\"outcomeTimestamp\":\"2026-11-25T10:00:00Z\"}]}";

    HttpResponse<String> reply = post("/cds-services/" + START + "/feedback", feedback, "Bearer " + token(START));

    assertThat(reply.statusCode()).isEqualTo(200);
    List<AuditEvent> audits = http.search(AuditEvent.class,
        "subtype=http://prostateed.org/fhir/CodeSystem/cds-feedback%7Coverridden");
    assertThat(audits).hasSize(before + 1);
    AuditEvent audit = audits.stream().filter(a -> a.getEntityFirstRep().getName().equals(card)).findFirst().orElseThrow();
    assertThat(audit.getEntityFirstRep().getDetail()).extracting(d -> d.getType() + "=" + d.getValue().primitiveValue())
        .containsExactly("overrideReason=" + OVERRIDE_REASON + "|chart-incorrect The chart entry is wrong or out of date",
            "userComment=Treated last month; the problem list is out of date");
    // Issue 25: the feedback's AuditEvent validates against base R4 (RecordValidator).
    assertThat(audits).allSatisfy(a -> assertThat(RecordValidator.problems(a)).as(a.getId()).isEmpty());
  }

  // Issue 26: "Feedback with an override reason outside the ValueSet is refused" (400, with the
  // reason, and nothing written), and the critical and warning cards offer the ValueSet's reasons.
  @Test
  void feedbackWithAnOverrideReasonNoCardOffersIsRefused() throws Exception {
    int before = http.count(AuditEvent.class, "subtype=http://prostateed.org/fhir/CodeSystem/cds-feedback%7Coverridden");
    List<String> offered = new java.util.ArrayList<>();
    http.search(org.hl7.fhir.r4.model.ValueSet.class, "url=" + FhirIds.BASE + "ValueSet/card-override-reasons").get(0)
        .getCompose().getIncludeFirstRep().getConcept().forEach(concept -> offered.add(concept.getCode()));
    JsonNode critical = singleCard(call(START, request(START, "demo-acute", "demo-acute-enc", true), token(START)));
    JsonNode warning = singleCard(call(START, request(START, "demo-hemorrhoids", "demo-hemorrhoids-enc", true),
        token(START)));
    for (JsonNode card : List.of(critical, warning)) {
      List<String> reasons = new java.util.ArrayList<>();
      card.get("overrideReasons").forEach(reason -> {
        assertThat(reason.get("system").asText()).isEqualTo(OVERRIDE_REASON);
        reasons.add(reason.get("code").asText());
      });
      assertThat(reasons).as(card.get("indicator").asText()).isEqualTo(offered);
    }

    for (String reason : List.of("{\"code\":\"felt-like-it\",\"system\":\"" + OVERRIDE_REASON + "\"}",
        "{\"code\":\"chart-incorrect\",\"system\":\"http://other.example/reasons\"}")) {
      String feedback = "{\"feedback\":[{\"card\":\"" + UUID.randomUUID() + "\",\"outcome\":\"overridden\","
          + "\"overrideReason\":{\"reason\":" + reason + "}}]}";
      HttpResponse<String> reply = post("/cds-services/" + START + "/feedback", feedback, "Bearer " + token(START));

      assertThat(reply.statusCode()).as(reason).isEqualTo(400);
      assertThat(json.readTree(reply.body()).get("error").asText()).contains("is not one of the reasons the cards offer")
          .contains("ValueSet/card-override-reasons");
    }
    assertThat(http.count(AuditEvent.class, "subtype=http://prostateed.org/fhir/CodeSystem/cds-feedback%7Coverridden"))
        .isEqualTo(before);
  }

  // CDS Hooks 2.0 "Trusting CDS Clients"; issue 5: "any failure is a bare 401".
  @Test
  void untrustedCallsGetABare401() throws Exception {
    ObjectNode request = request(START, "demo-acute", "demo-acute-enc", true);
    String valid = token(START);
    SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("ehr-key-1").build(), claims(START));
    hmac.sign(new MACSigner(new byte[32]));

    for (String authorization : java.util.Arrays.asList(null, "Bearer " + hmac.serialize(),
        "Bearer " + token(base + "/cds-services/" + START + "/", true))) {
      HttpResponse<String> reply = post("/cds-services/" + START, request.toString(), authorization);
      assertThat(reply.statusCode()).isEqualTo(401);
      assertThat(reply.body()).isEmpty();
    }
    assertThat(post("/cds-services/" + START, request.toString(), "Bearer " + valid).statusCode()).isEqualTo(200);
    assertThat(post("/cds-services/" + START, request.toString(), "Bearer " + valid).statusCode())
        .as("a replayed jti").isEqualTo(401);
  }

  // docs/api.md: the Infobutton "links to the vetted handouts for the code, informationRecipient.languageCode.c honoured".
  @Test
  void infobuttonLinksToHandoutPagesThatOpen() throws Exception {
    HttpResponse<String> feed = get("/infobutton?mainSearchCriteria.v.c=N41.1&mainSearchCriteria.v.cs=2.16.840.1.113883.6.90"
        + "&knowledgeResponseType=application/json&informationRecipient.languageCode.c=es");
    HttpResponse<String> unrelated = get("/infobutton?mainSearchCriteria.v.c=J06.9&mainSearchCriteria.v.cs=2.16.840.1.113883.6.90");

    assertThat(feed.statusCode()).isEqualTo(200);
    JsonNode entries = json.readTree(feed.body()).get("feed").get("entry");
    assertThat(entries).hasSize(1);
    String href = entries.get(0).get("link").get(0).get("href").asText();
    assertThat(href).isEqualTo(base + "/handouts/prostate-massage/es/0.2.0");
    HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(href)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(org.jsoup.Jsoup.parse(page.body()).select("html").attr("lang")).isEqualTo("es");
    assertThat(org.jsoup.Jsoup.parse(page.body()).select(".watermark")).isNotEmpty();
    assertThat(json.readTree(unrelated.body()).get("feed").path("entry")).isEmpty();
    assertThat(get("/handouts/prostate-massage/en/9.9.9").statusCode()).isEqualTo(404);
  }

  /**
   * Requests shaped like the CDS Hooks 2.0 specification's examples (a prefetch key the service did
   * not ask for, nothing else prefetched, fhirServer and fhirAuthorization given), for every demo
   * patient; every response checked against the spec's rules for cards: "summary ... <140
   * characters", indicator info / warning / critical, a source label, selectionBehavior present
   * with suggestions, link type absolute or smart, appContext only on smart links, and "JSON
   * attributes SHALL NOT be null ... OPTIONAL ... omitted rather than having a null or empty value".
   */
  @Test
  void specShapedRequestsGetConformingResponses() throws Exception {
    int cardsChecked = 0;
    java.util.Set<UUID> uuids = new java.util.HashSet<>();
    for (String patient : List.of("demo-cp", "demo-bph", "demo-acute", "demo-cancer", "demo-hemorrhoids", "demo-psa",
        "demo-unrelated", "demo-error")) {
      for (String fixture : List.of("patient-view-request.json", "encounter-start-request.json")) {
        String service = fixture.startsWith("patient") ? VIEW : START;
        String body = new String(getClass().getResourceAsStream("/cds-hooks/" + fixture).readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8)
            .replace("{{fhirServer}}", base + "/fhir").replace("{{patientId}}", patient)
            .replace("{{encounterId}}", patient + "-enc");
        // Each request as from an EHR that takes suggestions and from one that applies system actions.
        for (String issuer : List.of(ISSUER, SYSTEM_ACTIONS_ISSUER)) {
        HttpResponse<String> reply = post("/cds-services/" + service, body, "Bearer " + tokenFrom(service, issuer));
        assertThat(reply.statusCode()).as(patient + " " + fixture).isEqualTo(200);
        JsonNode response = json.readTree(reply.body());
        assertNoNullOrEmpty(response.get("cards"), "cards");
        assertThat(response.fieldNames()).toIterable().isSubsetOf("cards", "systemActions");
        for (JsonNode action : response.path("systemActions")) {
          assertAction(action);
        }
        for (JsonNode card : response.get("cards")) {
          cardsChecked++;
          assertThat(card.get("summary").asText()).isNotBlank().hasSizeLessThan(140);
          assertThat(card.get("indicator").asText()).isIn("info", "warning", "critical");
          assertThat(card.get("source").get("label").asText()).isNotBlank();
          UUID uuid = UUID.fromString(card.get("uuid").asText());
          assertThat(uuid.version()).as("a random (version 4) UUID").isEqualTo(4);
          assertThat(uuid.variant()).as("of the IETF variant").isEqualTo(2);
          assertThat(uuids.add(uuid)).as("\"uuid: Unique identifier of the card\"").isTrue();
          assertThat(card.fieldNames()).toIterable().isSubsetOf("uuid", "summary", "detail", "indicator", "source",
              "suggestions", "selectionBehavior", "overrideReasons", "links");
          assertThat(card.path("detail").isMissingNode() || card.get("detail").isTextual()).isTrue();
          assertThat(card.get("source").fieldNames()).toIterable().isSubsetOf("label", "url", "icon", "topic");
          if (card.has("suggestions")) {
            assertThat(card.get("selectionBehavior").asText()).isIn("at-most-one", "any");
            card.get("suggestions").forEach(suggestion -> {
              assertThat(suggestion.get("label").asText()).as("suggestion label (required)").isNotBlank();
              assertThat(UUID.fromString(suggestion.get("uuid").asText())).isNotNull();
              suggestion.get("actions").forEach(CdsHooksIT::assertAction);
            });
          } else {
            assertThat(card.has("selectionBehavior")).as("selectionBehavior only with suggestions").isFalse();
          }
          for (JsonNode reason : card.path("overrideReasons")) {
            assertThat(reason.get("system").asText()).startsWith("http");
            assertThat(reason.get("code").asText()).isNotBlank();
            assertThat(reason.get("display").asText()).isNotBlank();
          }
          for (JsonNode link : card.path("links")) {
            assertThat(link.get("type").asText()).isIn("absolute", "smart");
            assertThat(link.get("label").asText()).isNotBlank();
            assertThat(java.net.URI.create(link.get("url").asText()).isAbsolute()).as("link url is absolute").isTrue();
            if (link.has("appContext")) {
              assertThat(link.get("type").asText()).isEqualTo("smart");
            }
          }
          assertNoNullOrEmpty(card, "card");
        }
        }
      }
    }
    assertThat(cardsChecked).as("the demo patients with a qualifying diagnosis each get a card").isGreaterThanOrEqualTo(5);
  }

  // Issue 26: "Unknown fields and extensions in a request are ignored, never an error", and "a
  // request with unknown fields and extensions is answered as without them" (CDS Hooks 2.0,
  // "Extensions": a service ignores extensions it does not understand).
  @Test
  void unknownFieldsAndExtensionsInARequestAreIgnored() throws Exception {
    for (String patient : List.of("demo-acute", "demo-hemorrhoids", "demo-cp")) {
      ObjectNode plain = request(START, patient, patient + "-enc", true);
      ObjectNode extended = plain.deepCopy();
      extended.putObject("extension").put("com.example.ehr-session", "a1b2").putObject("com.example.nested")
          .put("depth", 2);
      extended.put("futureField", "added by a later CDS Hooks version");
      ((ObjectNode) extended.get("context")).putObject("extension").put("com.example.location", "Ward 7");
      ((ObjectNode) extended.get("context")).put("unknownContextField", 42);
      extended.putObject("fhirAuthorization").put("access_token", "opaque").put("token_type", "Bearer")
          .put("expires_in", 300).put("scope", "patient/*.rs").put("subject", "prostate-education")
          .put("patient", patient).put("unknown_token_field", true);
      extended.with("prefetch").put("notAskedFor", "ignored");

      HttpResponse<String> withThem = call(START, extended, token(START));
      HttpResponse<String> without = call(START, plain, token(START));

      assertThat(withThem.statusCode()).as(withThem.body()).isEqualTo(200);
      assertThat(withoutUuids(json.readTree(withThem.body()))).as(patient)
          .isEqualTo(withoutUuids(json.readTree(without.body())));
    }
  }

  /** A response with its cards' and suggestions' uuids left out: they are new on every call. */
  private static JsonNode withoutUuids(JsonNode response) {
    JsonNode copy = response.deepCopy();
    for (JsonNode card : copy.path("cards")) {
      ((ObjectNode) card).remove("uuid");
      card.path("suggestions").forEach(suggestion -> ((ObjectNode) suggestion).remove("uuid"));
    }
    return copy;
  }

  /** CDS Hooks 2.0 "Action": type create, update or delete, a description, and a resource to create. */
  private static void assertAction(JsonNode action) {
    assertThat(action.get("type").asText()).isIn("create", "update", "delete");
    assertThat(action.get("description").asText()).as("action description (required)").isNotBlank();
    if (action.get("type").asText().equals("create")) {
      assertThat(action.get("resource").get("resourceType").asText()).isNotBlank();
    }
  }

  private static void assertNoNullOrEmpty(JsonNode node, String path) {
    assertThat(node.isNull()).as(path + " is null").isFalse();
    if (node.isObject()) {
      assertThat(node.size()).as(path + " is an empty object").isPositive();
      node.fields().forEachRemaining(field -> assertNoNullOrEmpty(field.getValue(), path + "." + field.getKey()));
    } else if (node.isArray() && !"cards".equals(path)) {
      assertThat(node.size()).as(path + " is an empty array").isPositive();
      node.forEach(element -> assertNoNullOrEmpty(element, path + "[]"));
    } else if (node.isArray()) {
      node.forEach(element -> assertNoNullOrEmpty(element, path + "[]"));
    } else if (node.isTextual()) {
      assertThat(node.asText()).as(path + " is blank").isNotBlank();
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private String token(String serviceId) throws Exception {
    return token(base + "/cds-services/" + serviceId, true);
  }

  /** A token for the service, signed as the given EHR. */
  private String tokenFrom(String serviceId, String issuer) throws Exception {
    return signed(base + "/cds-services/" + serviceId, issuer);
  }

  private String token(String audience, boolean exact) throws Exception {
    return signed(audience, ISSUER);
  }

  private String signed(String audience, String issuer) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID("ehr-key-1").build(),
        new JWTClaimsSet.Builder().issuer(issuer).audience(audience).issueTime(new Date())
            .expirationTime(new Date(System.currentTimeMillis() + 300_000)).jwtID(UUID.randomUUID().toString()).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private JWTClaimsSet claims(String serviceId) {
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience(base + "/cds-services/" + serviceId).issueTime(new Date())
        .expirationTime(new Date(System.currentTimeMillis() + 300_000)).jwtID(UUID.randomUUID().toString()).build();
  }

  /** A hook request whose prefetch is read from the server's FHIR API, key by key, as an EHR would. */
  private ObjectNode request(String serviceId, String patientId, String encounterId, boolean prefetch) throws Exception {
    ObjectNode request = json.createObjectNode();
    request.put("hook", serviceId.equals(START) ? "encounter-start" : "patient-view");
    request.put("hookInstance", UUID.randomUUID().toString());
    ObjectNode context = request.putObject("context");
    context.put("userId", "Practitioner/demo-practitioner");
    context.put("patientId", patientId);
    if (encounterId != null) {
      context.put("encounterId", encounterId);
    }
    if (prefetch) {
      JsonNode templates = json.readTree(get("/cds-services").body()).get("services");
      JsonNode service = serviceId.equals(START) ? templates.get(0) : templates.get(1);
      ObjectNode values = request.putObject("prefetch");
      for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) service.get("prefetch")::fields) {
        String query = field.getValue().asText().replace("{{context.patientId}}", patientId)
            .replace("{{context.encounterId}}", encounterId == null ? "" : encounterId);
        int mark = query.indexOf('?');
        String url = mark < 0 ? query : query.substring(0, mark + 1) + java.util.Arrays.stream(query.substring(mark + 1).split("&"))
            .map(pair -> pair.substring(0, pair.indexOf('=') + 1) + java.net.URLEncoder.encode(
                pair.substring(pair.indexOf('=') + 1), java.nio.charset.StandardCharsets.UTF_8))
            .collect(java.util.stream.Collectors.joining("&"));
        values.set(field.getKey(), json.readTree(http.get(url).body()));
      }
    }
    return request;
  }

  private HttpResponse<String> call(String serviceId, ObjectNode request, String token) throws Exception {
    return post("/cds-services/" + serviceId, request.toString(), "Bearer " + token);
  }

  private List<JsonNode> cards(HttpResponse<String> reply) throws Exception {
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    List<JsonNode> cards = new java.util.ArrayList<>();
    json.readTree(reply.body()).get("cards").forEach(cards::add);
    return cards;
  }

  private JsonNode singleCard(HttpResponse<String> reply) throws Exception {
    List<JsonNode> cards = cards(reply);
    assertThat(cards).hasSize(1);
    return cards.get(0);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
