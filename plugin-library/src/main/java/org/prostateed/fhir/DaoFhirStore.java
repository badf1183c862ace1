package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/** The store of the HAPI JPA server the plugin runs inside, reached through its DAOs. */
public final class DaoFhirStore implements FhirStore {

  private final FhirContext fhirContext;
  private final DaoRegistry daos;
  private final IFhirSystemDao<Bundle, ?> systemDao;
  private final MatchUrlService matchUrls;

  public DaoFhirStore(
      FhirContext fhirContext, DaoRegistry daos, IFhirSystemDao<Bundle, ?> systemDao, MatchUrlService matchUrls) {
    this.fhirContext = fhirContext;
    this.daos = daos;
    this.systemDao = systemDao;
    this.matchUrls = matchUrls;
  }

  @Override
  public <T extends Resource> Optional<T> read(Class<T> type, String id) {
    IFhirResourceDao<T> dao = daos.getResourceDao(type);
    try {
      return Optional.of(dao.read(new IdType(fhirContext.getResourceType(type), id), request()));
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }

  @Override
  public <T extends Resource> Found<T> find(Class<T> type, String query) {
    IFhirResourceDao<T> dao = daos.getResourceDao(type);
    SearchParameterMap map = matchUrls.translateMatchUrl(
        fhirContext.getResourceType(type) + "?" + query, fhirContext.getResourceDefinition(type));
    map.setLoadSynchronous(true);
    // A synchronous search loads every match: the list is complete.
    return new Found<>(dao.searchForResources(map, request()), true);
  }

  @Override
  public Bundle transaction(Bundle bundle) {
    SystemRequestDetails request = request();
    request.addHeader(Constants.HEADER_PREFER,
        Constants.HEADER_PREFER_RETURN + "=" + Constants.HEADER_PREFER_RETURN_REPRESENTATION);
    return systemDao.transaction(request, bundle);
  }

  private static SystemRequestDetails request() {
    return new SystemRequestDetails();
  }
}
