package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.prostateed.content.Coded;
import org.prostateed.content.PrefillRule;
import org.prostateed.engine.ChartCondition;
import org.prostateed.engine.ChartEntry;

/**
 * The one mapping from chart records to engine records, read from FHIR R4 JSON. The CDS hook
 * reads prefetch this way without building HAPI's model of each resource (most of a call's cost
 * when it did); records read from a FHIR store are written to JSON first ({@link #tree}), so
 * both paths share every rule below.
 */
public final class ChartJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> FINAL_OBSERVATION = Set.of("final", "amended", "corrected");
  private static final Set<String> CURRENT_STATEMENT = Set.of("active", "intended");
  private static final Set<String> DONE_PROCEDURE = Set.of("completed", "in-progress");

  private ChartJson() {}

  /** A HAPI resource as a JSON tree. */
  public static JsonNode tree(IBaseResource resource) {
    try {
      return MAPPER.readTree(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(resource));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("HAPI wrote JSON that Jackson cannot read", e);
    }
  }

  /** The records pre-fill can read, as engine entries; other resource types are ignored. */
  public static List<ChartEntry> entries(Iterable<JsonNode> records) {
    List<ChartEntry> entries = new ArrayList<>();
    for (JsonNode record : records) {
      entry(record).ifPresent(entries::add);
    }
    return entries;
  }

  static Optional<ChartEntry> entry(JsonNode record) {
    String reference = reference(record);
    String status = text(record.path("status"));
    return switch (text(record.path("resourceType"))) {
      case "Condition" -> {
        ChartCondition condition = condition(record);
        String ended = first(text(record.path("abatementDateTime")), text(record.path("abatementPeriod").path("end")));
        yield Optional.of(new ChartEntry(PrefillRule.Record.CONDITION, reference, condition.codes(),
            text(record.path("code").path("text")), condition.isCurrentAndConfirmed(), condition.isConfirmed(),
            date(condition.recorded()), date(ended), Optional.empty()));
      }
      case "Observation" -> {
        JsonNode value = record.path("valueQuantity");
        Optional<ChartEntry.Quantity> quantity = value.path("value").isNumber()
            ? Optional.of(new ChartEntry.Quantity(value.path("value").asDouble(),
                value.has("code") ? text(value.path("code")) : text(value.path("unit"))))
            : Optional.empty();
        String effective = record.has("effectiveDateTime") ? text(record.path("effectiveDateTime"))
            : record.has("effectivePeriod") ? text(record.path("effectivePeriod").path("start"))
            : text(record.path("issued"));
        boolean done = FINAL_OBSERVATION.contains(status);
        yield Optional.of(new ChartEntry(PrefillRule.Record.OBSERVATION, reference, codes(record.path("code")),
            text(record.path("code").path("text")), done, done, date(effective), null, quantity));
      }
      case "MedicationRequest" -> {
        boolean active = "active".equals(status);
        yield Optional.of(new ChartEntry(PrefillRule.Record.MEDICATION, reference,
            codes(record.path("medicationCodeableConcept")), medicationText(record), active, active,
            date(first(text(record.path("dispenseRequest").path("validityPeriod").path("start")),
                text(record.path("authoredOn")))), null, Optional.empty()));
      }
      case "MedicationStatement" -> {
        boolean current = CURRENT_STATEMENT.contains(status);
        yield Optional.of(new ChartEntry(PrefillRule.Record.MEDICATION, reference,
            codes(record.path("medicationCodeableConcept")), medicationText(record), current, current,
            date(first(text(record.path("effectiveDateTime")), text(record.path("effectivePeriod").path("start")),
                text(record.path("dateAsserted")))), null, Optional.empty()));
      }
      case "AllergyIntolerance" -> {
        String clinical = statusCode(record.path("clinicalStatus"));
        String verification = statusCode(record.path("verificationStatus"));
        boolean current = (clinical == null || "active".equals(clinical))
            && !"refuted".equals(verification) && !"entered-in-error".equals(verification);
        yield Optional.of(new ChartEntry(PrefillRule.Record.ALLERGY, reference, codes(record.path("code")),
            text(record.path("code").path("text")), current, current, date(text(record.path("recordedDate"))), null,
            Optional.empty()));
      }
      case "Procedure" -> {
        String performed = record.has("performedDateTime") ? text(record.path("performedDateTime"))
            : text(record.path("performedPeriod").path("end"));
        boolean done = DONE_PROCEDURE.contains(status);
        yield Optional.of(new ChartEntry(PrefillRule.Record.PROCEDURE, reference, codes(record.path("code")),
            text(record.path("code").path("text")), done, done, date(performed), null, Optional.empty()));
      }
      default -> Optional.empty();
    };
  }

  /** A Condition reduced to what the engine needs; the recorded date falls back to the onset. */
  public static ChartCondition condition(JsonNode condition) {
    String recorded = first(text(condition.path("recordedDate")), text(condition.path("onsetDateTime")));
    return new ChartCondition(reference(condition), codes(condition.path("code")),
        statusCode(condition.path("clinicalStatus")), statusCode(condition.path("verificationStatus")), recorded);
  }

  /** {@code Type/id} of a resource. */
  public static String reference(JsonNode resource) {
    return text(resource.path("resourceType")) + "/" + text(resource.path("id"));
  }

  /** A reference as {@code Type/id}, without base URL or version, or null when there is none. */
  public static String localReference(JsonNode reference) {
    String value = text(reference.path("reference"));
    return value == null ? null : new IdType(value).toUnqualifiedVersionless().getValue();
  }

  /** A JSON string's value, or null for anything else. */
  public static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }

  /**
   * The date part of a FHIR date or dateTime ({@code YYYY-MM-DD} first), or null when absent,
   * partial or not a calendar date. Read digit by digit: {@code LocalDate.parse} and its formatter
   * were a tenth of the CDS hook's decision inside the server.
   */
  static LocalDate date(String fhirDate) {
    if (fhirDate == null || fhirDate.length() < 10 || fhirDate.charAt(4) != '-' || fhirDate.charAt(7) != '-') {
      return null;
    }
    int year = digits(fhirDate, 0, 4);
    int month = digits(fhirDate, 5, 7);
    int day = digits(fhirDate, 8, 10);
    if (year < 0 || month < 0 || day < 0) {
      return null;
    }
    try {
      return LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The ASCII digits from {@code start} to {@code end} as a number, or -1 when any is not one. */
  private static int digits(String text, int start, int end) {
    int value = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static List<Coded> codes(JsonNode concept) {
    List<Coded> codes = new ArrayList<>();
    for (JsonNode coding : concept.path("coding")) {
      String system = text(coding.path("system"));
      String code = text(coding.path("code"));
      if (system != null && !system.isEmpty() && code != null && !code.isEmpty()) {
        codes.add(new Coded(system, code, text(coding.path("display"))));
      }
    }
    return codes;
  }

  /** The medication's text, its first coding's display, or the referenced Medication's display. */
  private static String medicationText(JsonNode record) {
    if (!record.has("medicationCodeableConcept")) {
      return text(record.path("medicationReference").path("display"));
    }
    JsonNode concept = record.path("medicationCodeableConcept");
    if (text(concept.path("text")) != null) {
      return text(concept.path("text"));
    }
    for (JsonNode coding : concept.path("coding")) {
      if (text(coding.path("display")) != null) {
        return text(coding.path("display"));
      }
    }
    return null;
  }

  private static String statusCode(JsonNode status) {
    for (JsonNode coding : status.path("coding")) {
      String code = text(coding.path("code"));
      if (code != null && !code.isEmpty()) {
        return code;
      }
    }
    return null;
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
