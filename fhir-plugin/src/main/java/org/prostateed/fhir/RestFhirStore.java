package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** A FHIR R4 server reached over REST (an EHR's FHIR API, or another HAPI server). */
public final class RestFhirStore implements FhirStore {

  private static final int MAX_PAGES = 50;

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

  @Override
  public <T extends Resource> List<T> search(Class<T> type, String query) {
    List<T> found = new ArrayList<>();
    Bundle page = client.search()
        .byUrl(fhirContext.getResourceType(type) + "?" + query)
        .returnBundle(Bundle.class)
        .execute();
    for (int pages = 1; ; pages++) {
      for (Bundle.BundleEntryComponent entry : page.getEntry()) {
        if (type.isInstance(entry.getResource())) {
          found.add(type.cast(entry.getResource()));
        }
      }
      if (page.getLink(Bundle.LINK_NEXT) == null || pages >= MAX_PAGES) {
        return found;
      }
      page = client.loadPage().next(page).execute();
    }
  }

  @Override
  public Bundle transaction(Bundle bundle) {
    return client.transaction().withBundle(bundle)
        .withAdditionalHeader(Constants.HEADER_PREFER, Constants.HEADER_PREFER_RETURN + "="
            + Constants.HEADER_PREFER_RETURN_REPRESENTATION)
        .execute();
  }
}
