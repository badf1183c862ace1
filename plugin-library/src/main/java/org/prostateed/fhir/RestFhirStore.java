package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.SearchStyleEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** A FHIR R4 server reached over REST (an EHR's FHIR API, or another HAPI server). */
public final class RestFhirStore implements FhirStore {

  private static final int MAX_PAGES = 50;
  /**
   * A longer query (a search by every code of a long value set) is sent as a POST {@code _search}
   * form: many servers refuse request lines of more than 8 KB, and FHIR servers take both forms.
   */
  private static final int MAX_GET_QUERY = 2000;

  private final FhirContext fhirContext;
  private final IGenericClient client;

  /** @param bearerToken an access token to send, or null */
  public RestFhirStore(FhirContext fhirContext, String baseUrl, String bearerToken) {
    this.fhirContext = fhirContext;
    fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    this.client = fhirContext.newRestfulGenericClient(baseUrl);
    if (bearerToken != null && !bearerToken.isBlank()) {
      client.registerInterceptor(new BearerTokenAuthInterceptor(bearerToken));
    }
  }

  @Override
  public <T extends Resource> Optional<T> read(Class<T> type, String id) {
    try {
      return Optional.of(client.read().resource(type).withId(id).execute());
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }

  /**
   * Follows the server's next links up to {@value #MAX_PAGES} pages; a search that has more is
   * returned as incomplete, never cut short silently.
   */
  @Override
  public <T extends Resource> Found<T> find(Class<T> type, String query) {
    List<T> found = new ArrayList<>();
    Bundle page = query.length() <= MAX_GET_QUERY
        ? client.search().byUrl(fhirContext.getResourceType(type) + "?" + query).returnBundle(Bundle.class).execute()
        : client.search().forResource(type).whereMap(parameters(query)).usingStyle(SearchStyleEnum.POST)
            .returnBundle(Bundle.class).execute();
    for (int pages = 1; ; pages++) {
      for (Bundle.BundleEntryComponent entry : page.getEntry()) {
        if (type.isInstance(entry.getResource())) {
          found.add(type.cast(entry.getResource()));
        }
      }
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        return new Found<>(found, true);
      }
      if (pages >= MAX_PAGES) {
        return new Found<>(found, false);
      }
      page = client.loadPage().next(page).execute();
    }
  }

  /** An encoded query as parameter names and their decoded values, in order. */
  static Map<String, List<String>> parameters(String query) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
    }
    return parameters;
  }

  @Override
  public Bundle transaction(Bundle bundle) {
    return client.transaction().withBundle(bundle)
        .withAdditionalHeader(Constants.HEADER_PREFER, Constants.HEADER_PREFER_RETURN + "="
            + Constants.HEADER_PREFER_RETURN_REPRESENTATION)
        .execute();
  }
}
