package org.prostateed.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParserErrorHandler.IParseLocation;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.prostateed.cdshooks.json.CdsRequestJson;
import org.prostateed.chart.ChartSearch;
import org.prostateed.fhir.FhirStore;

/**
 * The chart of one hook call, as HAPI resources: each prefetch key's value parsed by HAPI, and
 * what prefetch lacks fetched from the EHR's {@code fhirServer} with the granted token, the missing
 * keys side by side. A key is incomplete when the EHR's Bundle has further pages that were not
 * read; the card then says the chart was not read whole.
 */
final class HookChart {

  /** One key the hook reads: a prefetch template's search, or a read of one resource. */
  record Key(String name, ChartSearch search, String readType, String readId) {
    static Key search(ChartSearch search) {
      return new Key(search.key(), search, null, null);
    }

    static Key read(String name, String type, String idTemplate) {
      return new Key(name, null, type, idTemplate);
    }

    /** The prefetch template discovery advertises for this key. */
    String template() {
      return search != null ? search.template() : readType + "/" + readId;
    }

    boolean latestOnly() {
      return search != null && search.latestOnly();
    }
  }

  private record Read(List<Resource> resources, boolean complete) {}

  private final Map<String, Read> read;

  private HookChart(Map<String, Read> read) {
    this.read = read;
  }

  /**
   * Reads every key: from prefetch where the EHR sent it, otherwise from the EHR, the fetches run
   * on {@code executor}. A prefetch value that is not a FHIR R4 resource is the caller's mistake
   * ({@link EducationHooks.BadHookRequest}); a missing one that cannot be fetched leaves the hook
   * unanswerable ({@link EducationHooks.PrefetchUnavailable}).
   */
  static HookChart read(FhirContext fhirContext, CdsRequestJson request, List<Key> keys, String patientId,
      String encounterId, BiFunction<String, String, FhirStore> ehrStore, ExecutorService executor) {
    Map<String, Read> read = new HashMap<>();
    Map<String, Key> missing = new LinkedHashMap<>();
    for (Key key : keys) {
      JsonNode value = request.prefetch() == null ? null : request.prefetch().get(key.name());
      Resource parsed = value == null || value.isNull() ? null : parse(fhirContext, key.name(), value);
      if (parsed == null || parsed instanceof OperationOutcome) {
        missing.put(key.name(), key);
      } else if (parsed instanceof Bundle bundle && key.readType() == null) {
        List<Resource> entries = new ArrayList<>();
        bundle.getEntry().stream().filter(entry -> entry.getResource() != null)
            .forEach(entry -> entries.add(entry.getResource()));
        read.put(key.name(), new Read(entries, bundle.getLink(Bundle.LINK_NEXT) == null || key.latestOnly()));
      } else {
        read.put(key.name(), new Read(List.of(parsed), true));
      }
    }
    if (!missing.isEmpty()) {
      FhirStore ehr = ehr(request, missing.keySet().iterator().next(), ehrStore);
      Map<String, CompletableFuture<Read>> fetches = new LinkedHashMap<>();
      missing.forEach((name, key) -> fetches.put(name,
          CompletableFuture.supplyAsync(() -> fetch(ehr, key, patientId, encounterId), executor)));
      fetches.forEach((name, fetch) -> {
        try {
          read.put(name, fetch.join());
        } catch (CompletionException e) {
          // The cause can carry the EHR's URL with the patient's id: it is not passed on.
          throw new EducationHooks.PrefetchUnavailable("'" + name + "' could not be fetched from the FHIR server");
        }
      });
    }
    return new HookChart(read);
  }

  /** The resources under a key, of one type. */
  <T extends Resource> List<T> all(String key, Class<T> type) {
    Read found = read.get(key);
    return found == null ? List.of()
        : found.resources().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The resources under several keys, of any type. */
  List<Resource> all(List<String> keys) {
    List<Resource> all = new ArrayList<>();
    keys.stream().map(read::get).filter(java.util.Objects::nonNull).forEach(found -> all.addAll(found.resources()));
    return all;
  }

  /** Whether every key was read to its end. */
  boolean complete() {
    return read.values().stream().allMatch(Read::complete);
  }

  private static Resource parse(FhirContext fhirContext, String key, JsonNode value) {
    if (!value.isObject() || !value.hasNonNull("resourceType")) {
      throw new EducationHooks.BadHookRequest("prefetch '" + key + "' is not a FHIR resource");
    }
    try {
      IBaseResource parsed = fhirContext.newJsonParser().setParserErrorHandler(new ShapeErrors())
          .parseResource(value.toString());
      return (Resource) parsed;
    } catch (RuntimeException e) {
      // HAPI's parser fails with DataFormatException, and with others on some misshapen input.
      throw new EducationHooks.BadHookRequest("prefetch '" + key + "' is not a FHIR resource");
    }
  }

  /**
   * An element of the wrong JSON shape (a string where a resource belongs) makes the value no
   * resource; an unknown element or a malformed date is the EHR's record as it stands, read as far
   * as it goes. Nothing is logged: the messages could quote the record.
   */
  private static final class ShapeErrors extends LenientErrorHandler {
    ShapeErrors() {
      super(false);
    }

    @Override
    public void incorrectJsonType(IParseLocation location, String elementName, ValueType expected,
        ScalarType expectedScalar, ValueType found, ScalarType foundScalar) {
      throw new DataFormatException("'" + elementName + "' has the wrong JSON type");
    }
  }

  private static FhirStore ehr(CdsRequestJson request, String firstMissing,
      BiFunction<String, String, FhirStore> ehrStore) {
    if (request.fhirServer() == null || request.fhirAuthorization() == null
        || request.fhirAuthorization().accessToken() == null) {
      throw new EducationHooks.PrefetchUnavailable(
          "prefetch '" + firstMissing + "' is missing and no fhirServer with fhirAuthorization was given");
    }
    return ehrStore.apply(request.fhirServer(), request.fhirAuthorization().accessToken());
  }

  private static Read fetch(FhirStore ehr, Key key, String patientId, String encounterId) {
    if (key.search() == null) {
      String id = key.readId().replace(ChartSearch.PATIENT, patientId)
          .replace(ChartSearch.ENCOUNTER, encounterId == null ? "" : encounterId);
      return new Read(ehr.read(resourceClass(key.readType()), id).<List<Resource>>map(List::of).orElse(List.of()),
          true);
    }
    FhirStore.Found<? extends Resource> found = ehr.find(key.search().type(), key.search().query(patientId, encounterId));
    return new Read(new ArrayList<>(found.resources()), found.complete() || key.latestOnly());
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Resource> resourceClass(String name) {
    return (Class<? extends Resource>) FhirContext.forR4Cached().getResourceDefinition(name).getImplementingClass();
  }
}
