package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The stores of a HAPI JPA server the plugin runs inside: the caller's ({@link CallerDaoStore})
 * and the plugin's own ({@link DaoFhirStore}), both through the server's DAOs.
 */
public final class HapiHostAccess implements StoreAccess {

  private final FhirContext fhirContext;
  private final DaoRegistry daos;
  private final IFhirSystemDao<Bundle, ?> systemDao;
  private final MatchUrlService matchUrls;
  private final DaoFhirStore plugin;

  public HapiHostAccess(FhirContext fhirContext, DaoRegistry daos, IFhirSystemDao<Bundle, ?> systemDao,
      MatchUrlService matchUrls) {
    this.fhirContext = fhirContext;
    this.daos = daos;
    this.systemDao = systemDao;
    this.matchUrls = matchUrls;
    this.plugin = new DaoFhirStore(fhirContext, daos, systemDao, matchUrls);
  }

  @Override
  public FhirStore asCaller(RequestDetails caller) {
    return new CallerDaoStore(fhirContext, daos, systemDao, matchUrls, caller);
  }

  @Override
  public FhirStore asPlugin() {
    return plugin;
  }
}
