import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Does a call cost more on a long chart, or in a full store? A single-file program (HAPI's model
 * from fhir-plugin/target/lib on the class path) against a running demo server on loopback,
 * started with --cds-insecure-no-jwt. It loads
 *  - a small chart: a chronic-prostatitis encounter and four records;
 *  - a large one: the same, and 13,600 records the rules do not read (3,000 active Conditions,
 *    10,000 Observations of common labs and vitals over eight years with a yearly PSA among them,
 *    500 finished medicine requests, 100 procedures);
 *  - with {@code store N}: N further patients of 100 records each,
 * and times $education, $populate, $evaluate (stored response), a give (a fresh response each
 * time) and the encounter-start hook with prefetch built from the discovery templates, in
 * alternating rounds. Output: Markdown table rows.
 *
 * {@code ChartSize BASE chart ROUNDS} compares the large chart with the small one;
 * {@code ChartSize BASE store PATIENTS ROUNDS} times the small chart, fills the store and times a second
 * small chart, loaded after the filling (the first one's gives grew it).
 */
public class ChartSize {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final IParser JSON_PARSER = FHIR.newJsonParser();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";
  private static final String LOINC = "http://loinc.org";
  private static final String YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136";
  private static final String QUESTIONNAIRE = "http://prostateed.org/fhir/Questionnaire/prostate-massage-contraindications";
  /** Codes no rule of the content reads: common chronic conditions, labs, vitals and medicines. */
  private static final List<String> OTHER_CONDITIONS = List.of("I10", "E11.9", "E78.5", "J45.909", "M54.50",
      "K21.9", "F41.1", "G47.33", "M17.11", "E03.9", "J30.9", "L40.0", "H40.10X0", "N18.3", "I48.91", "E66.9");
  private static final List<String> OTHER_OBSERVATIONS = List.of("8867-4", "8480-6", "8462-4", "2339-0", "718-7",
      "2160-0", "2823-3", "2951-2", "29463-7", "8310-5");
  private static String base;

  public static void main(String[] args) throws Exception {
    base = args[0];
    switch (args[1]) {
      case "chart" -> chart(Integer.parseInt(args[2]));
      case "store" -> store(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException("chart ROUNDS | store PATIENTS ROUNDS");
    }
  }

  private static void chart(int rounds) throws Exception {
    load(patient("bench-small", 0));
    long started = System.nanoTime();
    load(patient("bench-large", 10_000));
    System.err.printf(Locale.ROOT, "large chart loaded in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
    Calls small = new Calls("bench-small");
    Calls large = new Calls("bench-large");
    System.out.println("| call | small chart ms | large chart ms | ratio large / small |");
    System.out.println("|---|---|---|---|");
    compare(small, large, rounds);
  }

  private static void store(int patients, int rounds) throws Exception {
    load(patient("bench-small", 0));
    Calls fresh = new Calls("bench-small");
    Map<String, Double> before = measure(fresh, rounds);
    long started = System.nanoTime();
    for (int p = 0; p < patients; p++) {
      load(filler("bench-fill-" + p));
    }
    System.err.printf(Locale.ROOT, "%d patients loaded in %d s%n", patients, (System.nanoTime() - started) / 1_000_000_000);
    // The same small chart again, on a patient of its own: the gives of the first measurement
    // wrote responses and handouts on the first patient, which would grow the chart being timed.
    load(patient("bench-small-after", 0));
    Map<String, Double> after = measure(new Calls("bench-small-after"), rounds);
    System.out.println("| call | fresh store ms | store of " + (patients * 100) + " more resources ms | ratio |");
    System.out.println("|---|---|---|---|");
    before.forEach((call, ms) -> System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", call, ms,
        after.get(call), after.get(call) / ms));
  }

  /** Alternating rounds of every call on both charts; the medians, and the ratio of the medians. */
  private static void compare(Calls small, Calls large, int rounds) throws Exception {
    Map<String, List<Double>> smallTimes = new LinkedHashMap<>();
    Map<String, List<Double>> largeTimes = new LinkedHashMap<>();
    for (int round = 0; round < rounds + 5; round++) {
      boolean warmUp = round < 5;
      for (Map.Entry<String, Timed> call : small.calls().entrySet()) {
        double s = call.getValue().time();
        double l = large.calls().get(call.getKey()).time();
        if (!warmUp) {
          smallTimes.computeIfAbsent(call.getKey(), k -> new ArrayList<>()).add(s);
          largeTimes.computeIfAbsent(call.getKey(), k -> new ArrayList<>()).add(l);
        }
      }
    }
    double opening = 0;
    for (String call : smallTimes.keySet()) {
      double s = median(smallTimes.get(call));
      double l = median(largeTimes.get(call));
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", call, s, l, l / s);
    }
    opening = median(largeTimes.get("$education")) + median(largeTimes.get("$populate"));
    System.out.printf(Locale.ROOT, "| $education + $populate, large chart (what the app waits for) | | %.1f | |%n",
        opening);
  }

  private static Map<String, Double> measure(Calls calls, int rounds) throws Exception {
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (int round = 0; round < rounds + 5; round++) {
      for (Map.Entry<String, Timed> call : calls.calls().entrySet()) {
        double ms = call.getValue().time();
        if (round >= 5) {
          times.computeIfAbsent(call.getKey(), k -> new ArrayList<>()).add(ms);
        }
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    times.forEach((call, list) -> medians.put(call, median(list)));
    return medians;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** One timed call, in milliseconds; any answer but the expected status stops the benchmark. */
  interface Timed {
    double time() throws Exception;
  }

  /** The calls of one patient's encounter. */
  private static final class Calls {
    private final String patient;
    private final String encounter;
    private final String questionnaireId;
    private final String storedResponse;
    private final String hookRequest;

    Calls(String patient) throws Exception {
      this.patient = patient;
      this.encounter = patient + "-enc";
      this.questionnaireId = JSON.readTree(send("GET", "/fhir/Questionnaire?url=" + QUESTIONNAIRE, null, 200))
          .path("entry").path(0).path("resource").path("id").asText();
      this.storedResponse = postResponse();
      this.hookRequest = hookRequest();
    }

    Map<String, Timed> calls() {
      Map<String, Timed> calls = new LinkedHashMap<>();
      calls.put("$education", () -> timed(() -> send("GET", "/fhir/Encounter/" + encounter + "/$education", null, 200)));
      calls.put("$populate", () -> timed(() -> send("POST", "/fhir/Questionnaire/" + questionnaireId + "/$populate",
          "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"subject\",\"valueReference\":{\"reference\":"
              + "\"Patient/" + patient + "\"}},{\"name\":\"context\",\"part\":[{\"name\":\"name\",\"valueString\":"
              + "\"encounter\"},{\"name\":\"content\",\"valueReference\":{\"reference\":\"Encounter/" + encounter
              + "\"}}]}]}", 200)));
      calls.put("$evaluate (stored response)", () -> timed(() -> send("GET",
          "/fhir/QuestionnaireResponse/" + storedResponse + "/$evaluate", null, 200)));
      calls.put("a give", () -> {
        String response = postResponse();
        String body = "{\"resourceType\":\"Parameters\",\"parameter\":["
            + "{\"name\":\"questionnaireResponse\",\"valueReference\":{\"reference\":\"QuestionnaireResponse/" + response + "\"}},"
            + "{\"name\":\"medium\",\"valueCode\":\"print\"},"
            + "{\"name\":\"practitioner\",\"valueReference\":{\"reference\":\"Practitioner/demo-practitioner\"}}]}";
        return timed(() -> send("POST", "/fhir/Encounter/" + encounter + "/$give-education", body, 201));
      });
      calls.put("CDS hook encounter-start, prefetch from the templates", () -> timed(() -> send("POST",
          "/cds-services/prostate-education-encounter-start", hookRequest, 200)));
      return calls;
    }

    private String postResponse() throws Exception {
      QuestionnaireResponse response = new QuestionnaireResponse();
      response.setQuestionnaire(QUESTIONNAIRE + "|0.2.0");
      response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
      response.setSubject(new Reference("Patient/" + patient));
      response.setEncounter(new Reference("Encounter/" + encounter));
      response.setAuthoredElement(DateTimeType.now());
      for (String linkId : List.of("acute-infection", "recent-acute-prostatitis", "prostate-abscess",
          "urinary-infection", "urinary-retention", "prostate-cancer", "anorectal-cancer", "proctitis-ibd",
          "ibd-remission", "psa-abnormal", "prostatic-calculi", "recent-procedure", "anorectal-disease",
          "anal-stenosis-prolapse", "rectal-bleeding", "bleeding-risk", "immunosuppression", "spinal-cord-injury",
          "reduced-sensation", "urinary-catheter", "latex-allergy")) {
        response.addItem().setLinkId(linkId).addAnswer().setValue(new Coding(YES_NO, "N", "No"));
      }
      response.addItem().setLinkId("indication").addAnswer().setValue(
          new Coding("http://prostateed.org/fhir/CodeSystem/massage-indication", "chronic-prostatitis", null));
      response.addItem().setLinkId("performer").addAnswer().setValue(
          new Coding("http://prostateed.org/fhir/CodeSystem/massage-performer", "patient", null));
      response.addItem().setLinkId("understanding").addAnswer().setValue(new Coding(YES_NO, "Y", "Yes"));
      return JSON.readTree(send("POST", "/fhir/QuestionnaireResponse", JSON_PARSER.encodeResourceToString(response),
          201)).path("id").asText();
    }

    /** The hook request, its prefetch read from /fhir by the discovery templates as an EHR would. */
    private String hookRequest() throws Exception {
      JsonNode service = JSON.readTree(send("GET", "/cds-services", null, 200)).path("services").path(0);
      ObjectNode request = JSON.createObjectNode().put("hook", "encounter-start")
          .put("hookInstance", "5b0d4b8e-1d3e-4f3a-9d6f-2b7c1c0e9a11");
      request.putObject("context").put("userId", "Practitioner/demo-practitioner").put("patientId", patient)
          .put("encounterId", encounter);
      ObjectNode prefetch = request.putObject("prefetch");
      for (var field : (Iterable<Map.Entry<String, JsonNode>>) service.path("prefetch")::fields) {
        String query = field.getValue().asText().replace("{{context.patientId}}", patient)
            .replace("{{context.encounterId}}", encounter);
        int mark = query.indexOf('?');
        String url = mark < 0 ? query : query.substring(0, mark + 1) + Arrays.stream(query.substring(mark + 1)
            .split("&")).map(pair -> pair.substring(0, pair.indexOf('=') + 1)
                + URLEncoder.encode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
        prefetch.set(field.getKey(), JSON.readTree(send("GET", "/fhir/" + url, null, 200)));
      }
      String body = request.toString();
      System.err.printf(Locale.ROOT, "%s: hook request of %d KB%n", patient, body.length() / 1024);
      return body;
    }
  }

  private static double timed(Supplier<String> call) {
    long started = System.nanoTime();
    call.get();
    return (System.nanoTime() - started) / 1e6;
  }

  // The charts.

  private static List<Resource> patient(String id, int records) {
    List<Resource> resources = new ArrayList<>();
    Patient patient = new Patient();
    patient.setId(id);
    patient.addName().setFamily("Bench").addGiven(id);
    resources.add(patient);
    Condition diagnosis = condition(id + "-dx", id, "N41.1", "active");
    Encounter encounter = new Encounter();
    encounter.setId(id + "-enc");
    encounter.setStatus(Encounter.EncounterStatus.INPROGRESS);
    encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
    encounter.setSubject(new Reference("Patient/" + id));
    encounter.addDiagnosis().setCondition(new Reference("Condition/" + diagnosis.getIdElement().getIdPart()));
    resources.add(diagnosis);
    resources.add(encounter);
    resources.add(observation(id + "-psa", id, "2857-1", 1.4, LocalDate.now().minusMonths(3)));
    resources.add(condition(id + "-htn", id, "I10", "active"));
    if (records == 0) {
      return resources;
    }
    for (int i = 0; i < 3_000; i++) {
      resources.add(condition(id + "-c" + i, id, OTHER_CONDITIONS.get(i % OTHER_CONDITIONS.size()), "active"));
    }
    LocalDate day = LocalDate.now().minusYears(8);
    for (int i = 0; i < records; i++) {
      boolean yearlyPsa = i % 1_250 == 0;
      resources.add(observation(id + "-o" + i, id, yearlyPsa ? "2857-1" : OTHER_OBSERVATIONS.get(i % OTHER_OBSERVATIONS.size()),
          yearlyPsa ? 1.2 : 50 + i % 70, day.plusDays(i * 2920L / records)));
    }
    for (int i = 0; i < 500; i++) {
      MedicationRequest request = new MedicationRequest();
      request.setId(id + "-m" + i);
      request.setStatus(MedicationRequest.MedicationRequestStatus.COMPLETED);
      request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
      request.setSubject(new Reference("Patient/" + id));
      request.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "197361",
          "amlodipine 5 MG Oral Tablet")));
      resources.add(request);
    }
    for (int i = 0; i < 100; i++) {
      Procedure procedure = new Procedure();
      procedure.setId(id + "-p" + i);
      procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
      procedure.setSubject(new Reference("Patient/" + id));
      procedure.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "73761001", "Colonoscopy")));
      procedure.setPerformed(new DateTimeType(day.plusDays(i * 29L).toString()));
      resources.add(procedure);
    }
    return resources;
  }

  /** A patient of 100 records: an encounter, 30 Conditions, 60 Observations, 8 medicine requests. */
  private static List<Resource> filler(String id) {
    List<Resource> resources = new ArrayList<>();
    Patient patient = new Patient();
    patient.setId(id);
    resources.add(patient);
    for (int i = 0; i < 30; i++) {
      resources.add(condition(id + "-c" + i, id, i == 0 ? "N40.0" : OTHER_CONDITIONS.get(i % OTHER_CONDITIONS.size()),
          "active"));
    }
    for (int i = 0; i < 60; i++) {
      resources.add(observation(id + "-o" + i, id, i % 20 == 0 ? "2857-1" : OTHER_OBSERVATIONS.get(i % 10),
          40 + i, LocalDate.now().minusDays(i * 30L)));
    }
    for (int i = 0; i < 9; i++) {
      MedicationRequest request = new MedicationRequest();
      request.setId(id + "-m" + i);
      request.setStatus(i == 0 ? MedicationRequest.MedicationRequestStatus.ACTIVE
          : MedicationRequest.MedicationRequestStatus.COMPLETED);
      request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
      request.setSubject(new Reference("Patient/" + id));
      request.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "197361",
          "amlodipine 5 MG Oral Tablet")));
      resources.add(request);
    }
    return resources;
  }

  private static Condition condition(String id, String patient, String code, String clinical) {
    Condition condition = new Condition();
    condition.setId(id);
    condition.setSubject(new Reference("Patient/" + patient));
    condition.setCode(new CodeableConcept(new Coding(ICD, code, null)));
    condition.setClinicalStatus(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/condition-clinical", clinical, null)));
    condition.setVerificationStatus(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", null)));
    condition.setRecordedDateElement(new DateTimeType("2020-01-01"));
    return condition;
  }

  private static Observation observation(String id, String patient, String code, double value, LocalDate day) {
    Observation observation = new Observation();
    observation.setId(id);
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.setSubject(new Reference("Patient/" + patient));
    observation.setCode(new CodeableConcept(new Coding(LOINC, code, null)));
    observation.setEffective(new DateTimeType(day.toString()));
    observation.setValue(new Quantity().setValue(BigDecimal.valueOf(value)).setUnit("1").setCode("1"));
    return observation;
  }

  /** Stores the resources with their ids, in transactions of 500. */
  private static void load(List<Resource> resources) throws Exception {
    for (int from = 0; from < resources.size(); from += 500) {
      Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
      for (Resource resource : resources.subList(from, Math.min(resources.size(), from + 500))) {
        bundle.addEntry().setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.PUT)
            .setUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
      }
      send("POST", "/fhir", JSON_PARSER.encodeResourceToString(bundle), 200);
    }
  }

  private static String send(String method, String path, String body, int expected) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(300))
          .header("Accept", path.startsWith("/cds-services") ? "application/json" : "application/fhir+json");
      if (body != null) {
        request.header("Content-Type", path.startsWith("/cds-services") ? "application/json" : "application/fhir+json");
      }
      request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString(body));
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(method + " " + path.split("\\?")[0] + " answered " + response.statusCode());
      }
      return response.body();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
