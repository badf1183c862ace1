package org.prostateed.it;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** A plain HTTP client for the tests: real requests, responses parsed with HAPI's parser. */
public final class FhirHttp {

  public static final FhirContext FHIR = FhirContext.forR4Cached();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String pluginBase;
  private final String authorization;

  public FhirHttp(String base) {
    this(base, base);
  }

  private FhirHttp(String storeBase, String pluginBase, String authorization) {
    this.base = storeBase;
    this.pluginBase = pluginBase;
    this.authorization = authorization;
  }

  /** The same client, sending {@code Authorization: Bearer <token>} with every request. */
  public FhirHttp withBearer(String token) {
    return new FhirHttp(base, pluginBase, "Bearer " + token);
  }

  /** The same client, sending every request, store reads too, to the plugin's base. */
  public FhirHttp onPluginBase() {
    return new FhirHttp(pluginBase, pluginBase, authorization);
  }

  /**
   * Beside an EHR the plugin's operations and the FHIR store have different bases: operations
   * ({@code $...}) and {@code metadata} go to the plugin, everything else to the store.
   */
  public FhirHttp(String storeBase, String pluginBase) {
    this(storeBase, pluginBase, null);
  }

  /** A response: status, raw body, and the body parsed as a FHIR resource when it is one. */
  public record Reply(int status, String body, java.net.http.HttpHeaders headers) {
    public <T extends IBaseResource> T as(Class<T> type) {
      return FHIR.newJsonParser().parseResource(type, body);
    }

    public String location() {
      return header("Location");
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** Short enough for an assertion message: the status and the start of the body. */
    @Override
    public String toString() {
      return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
  }

  /** The resource types the plugin or its tests write: the ones a "nothing written" check counts. */
  public static final List<String> STORED_TYPES = List.of("Patient", "Encounter", "Condition", "Task",
      "QuestionnaireResponse", "DocumentReference", "Communication", "Provenance", "AuditEvent", "Observation",
      "Library", "Questionnaire", "ValueSet", "CodeSystem", "Practitioner", "MedicationRequest", "Binary");

  /** A raw response: status, content type and the exact bytes. */
  public record Raw(int status, String contentType, byte[] body) {}

  public Raw getBytes(String path) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(60));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Raw(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().header("Accept", "application/fhir+json"));
  }

  public Reply post(String path, IBaseResource resource) {
    return postJson(path, FHIR.newJsonParser().encodeResourceToString(resource));
  }

  public Reply put(String path, IBaseResource resource) {
    return send(HttpRequest.newBuilder(uri(path))
        .PUT(HttpRequest.BodyPublishers.ofString(FHIR.newJsonParser().encodeResourceToString(resource),
            StandardCharsets.UTF_8))
        .header("Content-Type", "application/fhir+json")
        .header("Accept", "application/fhir+json"));
  }

  public Reply postJson(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path))
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .header("Content-Type", "application/fhir+json")
        .header("Accept", "application/fhir+json"));
  }

  /** Every resource a search finds (first page of up to 500). */
  public <T extends Resource> List<T> search(Class<T> type, String query) {
    Reply reply = get(FHIR.getResourceType(type) + "?" + query + "&_count=500");
    if (reply.status() != 200) {
      throw new AssertionError("search " + type.getSimpleName() + "?" + query + " answered " + reply.status()
          + ": " + reply.body());
    }
    return reply.as(Bundle.class).getEntry().stream().map(entry -> type.cast(entry.getResource())).toList();
  }

  public int count(Class<? extends Resource> type, String query) {
    return search(type, query).size();
  }

  /** How many of each of {@link #STORED_TYPES} the store holds, counted by FHIR search. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String type : STORED_TYPES) {
      Reply reply = get(type + "?_summary=count");
      if (reply.status() != 200) {
        throw new AssertionError("counting " + type + " answered " + reply.status() + ": " + reply.body());
      }
      counts.put(type, reply.as(Bundle.class).getTotal());
    }
    return counts;
  }

  private URI uri(String path) {
    String relative = path.startsWith("/") ? path : "/" + path;
    boolean plugin = relative.contains("$") || relative.startsWith("/metadata");
    return URI.create((plugin ? pluginBase : base) + relative);
  }

  private Reply send(HttpRequest.Builder request) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
