import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/**
 * The HTTP load driver of bench/run.sh (a single-file program on the JDK, with HAPI's FHIR model
 * from fhir-plugin/target/lib on the class path), against a running embedded demo server on
 * loopback. It
 *  - writes the two CDS hook requests that hooks.py sends with wrk: encounter-start for
 *    demo-hemorrhoids with complete prefetch, read from /fhir, and the no-op baseline, the
 *    patient-view hook for a patient with an empty chart (the same HTTP, JSON and hook path, with
 *    nothing to decide);
 *  - measures $give-education per give, against posting the same transaction bundle straight to
 *    /fhir;
 *  - runs the soak.
 * Every loop is bounded in count and time. Output: Markdown table rows on standard output.
 */
public class LoadDriver {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static String base;
  /**
   * Gives (and direct posts) made before the measured ones: past the first minutes of JIT
   * compilation of both paths, which weighed on the first hundred or so. The ratio still moves from
   * run to run (see bench/README.md).
   */
  private static final int WARM_UP_GIVES = 300;

  /**
   * {@code LoadDriver BASE bodies DIR}: writes the two hook requests for hooks.py (full.json, noop.json);
   * {@code LoadDriver BASE gives N}: the $give-education comparison;
   * {@code LoadDriver BASE soak SECONDS CLIENTS}: the soak.
   */
  public static void main(String[] args) throws Exception {
    base = args[0];
    switch (args[1]) {
      case "bodies" -> {
        Path dir = Path.of(args[2]);
        Files.writeString(dir.resolve("full.json"), hookRequest("encounter-start", "demo-hemorrhoids", "demo-hemorrhoids-enc"));
        Files.writeString(dir.resolve("noop.json"), emptyChartRequest());
      }
      case "gives" -> gives(Integer.parseInt(args[2]));
      case "soak" -> soak(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException("unknown mode " + args[1]);
    }
  }

  /**
   * Moderate mixed load for a fixed time: each client calls the encounter-start hook with full
   * prefetch, and every tenth time makes a whole give instead (new encounter, response, give),
   * with a 50 ms pause between requests. Prints one Markdown row: requests, gives, errors, p50, p99.
   */
  static void soak(int seconds, int clients) throws Exception {
    byte[] hook = hookRequest("encounter-start", "demo-hemorrhoids", "demo-hemorrhoids-enc").getBytes(StandardCharsets.UTF_8);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger gives = new AtomicInteger();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int i = 0; i < clients; i++) {
      pool.submit(() -> {
        for (int n = 0; System.nanoTime() < end; n++) {
          long start = System.nanoTime();
          try {
            if (n % 10 == 9) {
              give(prepareGive());
              gives.incrementAndGet();
            } else if (!call("/cds-services/prostate-education-encounter-start", hook)) {
              errors.incrementAndGet();
            }
          } catch (Exception e) {
            errors.incrementAndGet();
          }
          latencies.add(System.nanoTime() - start);
          Thread.sleep(50);
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(seconds + 120, TimeUnit.SECONDS);
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    System.out.printf(Locale.ROOT, "| %d s | %d | %d | %d | %d | %.1f | %.1f |%n", seconds, clients, sorted.size(),
        gives.get(), errors.get(), percentile(sorted, 0.5), percentile(sorted, 0.99));
  }

  /** What a give needs: a new qualifying encounter and the parameters naming its all-"no" response. */
  record PreparedGive(String encounterId, String parameters) {}

  static PreparedGive prepareGive() throws Exception {
    String[] encounter = newEncounter();
    String response = post("/fhir/QuestionnaireResponse", questionnaireResponse(encounter[0], encounter[1]), 201);
    String responseId = field(response, "\"id\":\"([^\"]+)\"");
    return new PreparedGive(encounter[1], "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":"
        + "\"questionnaireResponse\",\"valueReference\":{\"reference\":\"QuestionnaireResponse/" + responseId + "\"}},"
        + "{\"name\":\"medium\",\"valueCode\":\"print\"},{\"name\":\"practitioner\",\"valueReference\":"
        + "{\"reference\":\"Practitioner/demo-practitioner\"}}]}");
  }

  /** The give: the DocumentReference JSON. */
  static String give(PreparedGive prepared) throws Exception {
    return post("/fhir/Encounter/" + prepared.encounterId() + "/$give-education", prepared.parameters(), 201);
  }

  /**
   * One hook call: true when it was answered 200. The driver shares the machine's two cores with
   * the server, so it does as little as it can: the body is encoded once, the answer is not decoded.
   */
  static boolean call(String path, byte[] body) {
    try {
      return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1_000_000.0;
  }

  /** A hook request whose prefetch is every template of the service, read from /fhir. */
  static String hookRequest(String hook, String patient, String encounter) throws Exception {
    String discovery = get("/cds-services");
    String service = hook.equals("encounter-start") ? "prostate-education-encounter-start" : "prostate-education-patient-view";
    int at = discovery.indexOf("\"id\":\"" + service + "\"");
    int next = discovery.indexOf("\"hook\"", at);
    String segment = discovery.substring(discovery.indexOf("\"prefetch\":{", at) + "\"prefetch\":{".length(),
        next < 0 ? discovery.length() : next);
    StringBuilder values = new StringBuilder();
    Matcher pair = Pattern.compile("\"(\\w+)\":\"([^\"]*)\"").matcher(segment);
    while (pair.find()) {
      String query = pair.group(2).replace("{{context.patientId}}", patient).replace("{{context.encounterId}}", encounter);
      int mark = query.indexOf('?');
      String url = mark < 0 ? query : query.substring(0, mark + 1) + encodeValues(query.substring(mark + 1));
      if (values.length() > 0) {
        values.append(',');
      }
      values.append('"').append(pair.group(1)).append("\":").append(get("/fhir/" + url));
    }
    return "{\"hook\":\"" + hook + "\",\"hookInstance\":\"" + UUID.randomUUID() + "\",\"context\":{\"userId\":"
        + "\"Practitioner/demo-practitioner\",\"patientId\":\"" + patient + "\",\"encounterId\":\"" + encounter
        + "\"},\"prefetch\":{" + values + "}}";
  }

  static String emptyChartRequest() {
    String empty = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}";
    StringBuilder prefetch = new StringBuilder("\"patient\":{\"resourceType\":\"Patient\",\"id\":\"bench-empty\"}");
    for (String key : List.of("conditions", "observations", "medicationRequests", "medicationStatements", "allergies",
        "procedures", "responses", "documents", "tasks")) {
      prefetch.append(",\"").append(key).append("\":").append(empty);
    }
    return "{\"hook\":\"patient-view\",\"hookInstance\":\"" + UUID.randomUUID() + "\",\"context\":{\"userId\":"
        + "\"Practitioner/demo-practitioner\",\"patientId\":\"bench-empty\"},\"prefetch\":{" + prefetch + "}}";
  }

  /**
   * Gives to new encounters one at a time, each followed by posting the transaction bundle that give
   * posted again, straight to /fhir (new identifiers, the same records and requests): the plugin's
   * overhead. Alternating the two, after a warm-up of both, lets a change of machine speed or the
   * JIT's progress fall on both alike.
   */
  static void gives(int count) throws Exception {
    List<Long> giveTimes = new ArrayList<>();
    List<Long> directTimes = new ArrayList<>();
    for (int i = 0; i < WARM_UP_GIVES + count; i++) {
      PreparedGive prepared = prepareGive();
      long start = System.nanoTime();
      String document = give(prepared);
      long gave = System.nanoTime() - start;
      String bundle = sameTransaction(document);
      start = System.nanoTime();
      post("/fhir", bundle, 200);
      long posted = System.nanoTime() - start;
      if (i >= WARM_UP_GIVES) {
        giveTimes.add(gave);
        directTimes.add(posted);
      }
    }
    double give = giveTimes.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
    double direct = directTimes.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
    Collections.sort(giveTimes);
    Collections.sort(directTimes);
    System.out.println("| what | n | mean ms | p50 ms | p99 ms |");
    System.out.println("|---|---|---|---|---|");
    System.out.printf(Locale.ROOT, "| $give-education | %d | %.1f | %.1f | %.1f |%n", giveTimes.size(), give,
        percentile(giveTimes, 0.5), percentile(giveTimes, 0.99));
    System.out.printf(Locale.ROOT, "| the same transaction bundle posted to /fhir | %d | %.1f | %.1f | %.1f |%n",
        directTimes.size(), direct, percentile(directTimes, 0.5), percentile(directTimes, 0.99));
    System.out.printf(Locale.ROOT, "| ratio give / direct | | %.2f | %.2f | |%n", give / direct,
        percentile(giveTimes, 0.5) / percentile(directTimes, 0.5));
  }

  private static final FhirContext FHIR = FhirContext.forR4();
  private static final String RELEASE_KEY = "http://prostateed.org/fhir/identifier/handout-release";

  /**
   * The transaction bundle a give posts, rebuilt from the records that give wrote: the
   * DocumentReference and Communication as conditional creates on a new release key, the Task
   * completed with If-Match, the Provenance and the AuditEvent, linked by urn:uuid as the plugin
   * links them. The Task is a fresh open copy of the give's, stored before the clock starts, so
   * that the If-Match update completes a Task just as the give does.
   */
  static String sameTransaction(String documentJson) throws Exception {
    IParser json = FHIR.newJsonParser();
    DocumentReference document = json.parseResource(DocumentReference.class, documentJson);
    String documentId = document.getIdElement().getIdPart();
    String key = document.getIdentifierFirstRep().getValue();
    Communication communication = only(Communication.class, "identifier=" + encode(RELEASE_KEY + "|" + key));
    Provenance provenance = only(Provenance.class, "target=DocumentReference/" + documentId);
    AuditEvent audit = only(AuditEvent.class, "entity=DocumentReference/" + documentId);
    Task given = only(Task.class, "encounter=" + document.getContext().getEncounterFirstRep().getReference());

    Task open = given.copy();
    open.setIdElement(null);
    open.setMeta(null);
    open.setStatus(Task.TaskStatus.REQUESTED);
    open.setOutput(null);
    open.setOwner(null);
    open.getIdentifier().forEach(identifier -> identifier.setValue(UUID.randomUUID().toString()));
    Task stored = json.parseResource(Task.class, post("/fhir/Task", json.encodeResourceToString(open), 201));
    String taskId = stored.getIdElement().getIdPart();

    String newKey = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    String documentUrn = "urn:uuid:" + UUID.randomUUID();
    String communicationUrn = "urn:uuid:" + UUID.randomUUID();
    document.setIdElement(null);
    document.setMeta(null);
    document.getIdentifierFirstRep().setValue(newKey);
    communication.setIdElement(null);
    communication.setMeta(null);
    communication.getIdentifierFirstRep().setValue(newKey);
    communication.getBasedOnFirstRep().setReference("Task/" + taskId);
    communication.getPayloadFirstRep().setContent(new Reference(documentUrn));
    Task completed = stored.copy();
    completed.setStatus(Task.TaskStatus.COMPLETED);
    completed.setOwner(given.getOwner());
    completed.setLastModified(new java.util.Date());
    completed.addOutput().setType(new CodeableConcept().setText("handout given")).setValue(new Reference(documentUrn));
    provenance.setIdElement(null);
    provenance.setMeta(null);
    provenance.getTarget().get(0).setReference(documentUrn);
    provenance.getTarget().get(1).setReference(communicationUrn);
    audit.setIdElement(null);
    audit.setMeta(null);
    audit.getEntityFirstRep().getWhat().setReference(documentUrn);

    String keyQuery = "identifier=" + encode(RELEASE_KEY + "|" + newKey);
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    bundle.addEntry().setFullUrl(documentUrn).setResource(document).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl("DocumentReference").setIfNoneExist(keyQuery);
    bundle.addEntry().setFullUrl(communicationUrn).setResource(communication).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl("Communication").setIfNoneExist(keyQuery);
    bundle.addEntry().setFullUrl("Task/" + taskId).setResource(completed).getRequest()
        .setMethod(Bundle.HTTPVerb.PUT).setUrl("Task/" + taskId)
        .setIfMatch("W/\"" + stored.getIdElement().getVersionIdPart() + "\"");
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(provenance).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl("Provenance");
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(audit).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
    return json.encodeResourceToString(bundle);
  }

  static <T extends Resource> T only(Class<T> type, String query) throws Exception {
    Bundle found = FHIR.newJsonParser().parseResource(Bundle.class,
        get("/fhir/" + FHIR.getResourceType(type) + "?" + query));
    if (found.getEntry().size() != 1) {
      throw new IllegalStateException(type.getSimpleName() + "?" + query + " found " + found.getEntry().size());
    }
    return type.cast(found.getEntryFirstRep().getResource());
  }

  static String encode(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String[] newEncounter() throws Exception {
    String patient = "urn:uuid:" + UUID.randomUUID();
    String condition = "urn:uuid:" + UUID.randomUUID();
    String encounter = "urn:uuid:" + UUID.randomUUID();
    String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
        + "{\"fullUrl\":\"" + patient + "\",\"resource\":{\"resourceType\":\"Patient\",\"active\":true},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
        + "{\"fullUrl\":\"" + condition + "\",\"resource\":{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"" + patient + "\"},"
        + "\"code\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/icd-10-cm\",\"code\":\"N41.1\"}]}},\"request\":{\"method\":\"POST\",\"url\":\"Condition\"}},"
        + "{\"fullUrl\":\"" + encounter + "\",\"resource\":{\"resourceType\":\"Encounter\",\"status\":\"in-progress\",\"class\":{\"code\":\"AMB\"},"
        + "\"subject\":{\"reference\":\"" + patient + "\"},\"diagnosis\":[{\"condition\":{\"reference\":\"" + condition + "\"}}]},"
        + "\"request\":{\"method\":\"POST\",\"url\":\"Encounter\"}}]}";
    String reply = post("/fhir", bundle, 200);
    Matcher locations = Pattern.compile("\"location\":\"(\\w+)/([^/\"]+)/").matcher(reply);
    String patientId = null;
    String encounterId = null;
    while (locations.find()) {
      if (locations.group(1).equals("Patient")) {
        patientId = locations.group(2);
      } else if (locations.group(1).equals("Encounter")) {
        encounterId = locations.group(2);
      }
    }
    return new String[] {patientId, encounterId};
  }

  static String questionnaireResponse(String patient, String encounter) {
    String yesNo = "http://terminology.hl7.org/CodeSystem/v2-0136";
    StringBuilder items = new StringBuilder("{\"linkId\":\"indication\",\"answer\":[{\"valueCoding\":{\"system\":"
        + "\"http://prostateed.org/fhir/CodeSystem/massage-indication\",\"code\":\"chronic-prostatitis\"}}]}");
    for (String linkId : List.of("acute-infection", "recent-acute-prostatitis", "prostate-abscess", "urinary-infection",
        "urinary-retention", "prostate-cancer", "anorectal-cancer", "proctitis-ibd", "ibd-remission", "psa-abnormal",
        "prostatic-calculi", "recent-procedure", "anorectal-disease", "anal-stenosis-prolapse", "rectal-bleeding",
        "bleeding-risk", "immunosuppression", "spinal-cord-injury", "reduced-sensation", "urinary-catheter",
        "latex-allergy")) {
      items.append(",{\"linkId\":\"").append(linkId).append("\",\"answer\":[{\"valueCoding\":{\"system\":\"")
          .append(yesNo).append("\",\"code\":\"N\"}}]}");
    }
    items.append(",{\"linkId\":\"performer\",\"answer\":[{\"valueCoding\":{\"system\":"
        + "\"http://prostateed.org/fhir/CodeSystem/massage-performer\",\"code\":\"patient\"}}]}");
    items.append(",{\"linkId\":\"understanding\",\"answer\":[{\"valueCoding\":{\"system\":\"" + yesNo + "\",\"code\":\"Y\"}}]}");
    return "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\",\"questionnaire\":"
        + "\"http://prostateed.org/fhir/Questionnaire/prostate-massage-contraindications|0.2.0\",\"subject\":{\"reference\":"
        + "\"Patient/" + patient + "\"},\"encounter\":{\"reference\":\"Encounter/" + encounter + "\"},\"authored\":\""
        + java.time.Instant.now() + "\",\"item\":[" + items + "]}";
  }

  static String field(String json, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(json);
    if (!matcher.find()) {
      throw new IllegalStateException("not found: " + regex);
    }
    return matcher.group(1);
  }

  static String encodeValues(String query) {
    StringBuilder out = new StringBuilder();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(pair, 0, eq + 1).append(java.net.URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  static String get(String path) throws Exception {
    HttpResponse<String> reply = CLIENT.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Accept", "application/fhir+json, application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + reply.statusCode());
    }
    return reply.body();
  }

  static String post(String path, String body, int expected) throws Exception {
    HttpResponse<String> reply = CLIENT.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != expected) {
      throw new IllegalStateException(path + " answered " + reply.statusCode() + ": "
          + reply.body().substring(0, Math.min(300, reply.body().length())));
    }
    return reply.body();
  }
}
