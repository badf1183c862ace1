package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.UrlUtil;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The host's store as the caller of an operation may use it. Each call runs on a copy of the
 * caller's request (its headers, tenant, server and interceptors) that says what the call is: a
 * read, a search of one type, a transaction. So the host's AuthorizationInterceptor judges each
 * read as a read and each search as a search, as if the caller had made it, and an operation
 * allowed for one encounter cannot read another patient's chart.
 */
final class CallerDaoStore implements FhirStore {

  private final FhirContext fhirContext;
  private final DaoRegistry daos;
  private final IFhirSystemDao<Bundle, ?> systemDao;
  private final MatchUrlService matchUrls;
  private final RequestDetails caller;

  CallerDaoStore(FhirContext fhirContext, DaoRegistry daos, IFhirSystemDao<Bundle, ?> systemDao,
      MatchUrlService matchUrls, RequestDetails caller) {
    this.fhirContext = fhirContext;
    this.daos = daos;
    this.systemDao = systemDao;
    this.matchUrls = matchUrls;
    this.caller = caller;
  }

  @Override
  public <T extends Resource> Optional<T> read(Class<T> type, String id) {
    String typeName = fhirContext.getResourceType(type);
    IdType resourceId = new IdType(typeName, id);
    RequestDetails request = as(RestOperationTypeEnum.READ, typeName);
    request.setId(resourceId);
    IFhirResourceDao<T> dao = daos.getResourceDao(type);
    try {
      return Optional.of(dao.read(resourceId, request));
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }

  @Override
  public <T extends Resource> Found<T> find(Class<T> type, String query) {
    String typeName = fhirContext.getResourceType(type);
    RequestDetails request = as(RestOperationTypeEnum.SEARCH_TYPE, typeName);
    request.setParameters(new HashMap<>(UrlUtil.parseQueryString(query)));
    SearchParameterMap map = matchUrls.translateMatchUrl(typeName + "?" + query, fhirContext.getResourceDefinition(type));
    map.setLoadSynchronous(true);
    // A synchronous search loads every match: the list is complete.
    return new Found<>(daos.getResourceDao(type).searchForResources(map, request), true);
  }

  @Override
  public Bundle transaction(Bundle bundle) {
    // Locations only: the resources written are then read back one by one where needed, each as a
    // read the host judges, rather than shown in the transaction's reply (where a host that lets a
    // clinician write a Provenance or AuditEvent need not let them read every one).
    RequestDetails request = as(RestOperationTypeEnum.TRANSACTION, null);
    request.addHeader(Constants.HEADER_PREFER, Constants.HEADER_PREFER_RETURN + "=" + Constants.HEADER_PREFER_RETURN_MINIMAL);
    return systemDao.transaction(request, bundle);
  }

  /** A copy of the caller's request that is this one call and nothing else. */
  private RequestDetails as(RestOperationTypeEnum operation, String resourceName) {
    SystemRequestDetails request = new SystemRequestDetails(caller);
    request.setRestOperationType(operation);
    request.setResourceName(resourceName);
    request.setOperation(null);
    request.setResource(null);
    request.setCompartmentName(null);
    request.setParameters(new HashMap<>());
    request.setResponse(caller.getResponse());
    return request;
  }
}
