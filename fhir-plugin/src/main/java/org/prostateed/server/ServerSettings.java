package org.prostateed.server;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.prostateed.handout.SiteContacts;

/**
 * How the server is started.
 *
 * @param store the embedded JPA store's database (unused beside an EHR)
 * @param contentDir a content folder to load instead of the library packed in the jar
 * @param demo load the demo patients and allow draft content (never in production)
 * @param ehr beside an EHR: its FHIR server, which then holds everything; no local store is started
 * @param cdsTrust the trusted CDS clients (issuers, keys, jku URLs) as a JSON file
 * @param cdsVerificationOff accept CDS calls without a verified JWT (demo only; logged loudly)
 * @param publicBaseUrl the base URL EHRs reach this server by (behind a proxy), e.g. for JWT audiences
 * @param smartIssuer an OpenID Connect issuer that authorises SMART launches against this server's
 *     {@code /fhir}; its endpoints are then published at {@code /fhir/.well-known/smart-configuration}
 * @param smartPermissions the SMART scope versions ({@code v1}, {@code v2}) that smart-configuration
 *     announces as {@code permission-v1} and {@code permission-v2}; the app asks v2 scopes where v2
 *     is announced, v1 scopes otherwise
 * @param acceptExposure start even when bound beyond loopback: {@code /fhir} has no authorisation
 *     of its own, so this is for a network that a proxy or firewall already protects
 * @param site the clinic and emergency numbers every handout shows (the site file); the server does
 *     not start outside demo mode while one is missing
 */
public record ServerSettings(
    String host,
    int port,
    StoreSettings store,
    Optional<Path> contentDir,
    boolean demo,
    Optional<EhrConnection> ehr,
    Optional<Path> cdsTrust,
    boolean cdsVerificationOff,
    Optional<String> publicBaseUrl,
    Optional<String> smartIssuer,
    Set<String> smartPermissions,
    boolean acceptExposure,
    SiteContacts site) {

  /** Both SMART scope versions: the embedded server enforces no scopes, so it takes either. */
  public static final Set<String> SMART_PERMISSIONS = Set.of("v1", "v2");

  public ServerSettings {
    smartPermissions = Set.copyOf(smartPermissions);
    if (smartPermissions.isEmpty() || !SMART_PERMISSIONS.containsAll(smartPermissions)) {
      throw new IllegalArgumentException("SMART permissions are v1, v2 or both, not " + smartPermissions);
    }
  }

  /** The embedded default with its own store. */
  public ServerSettings(String host, int port, StoreSettings store, Optional<Path> contentDir, boolean demo) {
    this(host, port, store, contentDir, demo, Optional.empty(), Optional.empty(), false,
        Optional.empty(), Optional.empty(), SMART_PERMISSIONS, false, SiteContacts.none());
  }

  public ServerSettings besideEhr(String fhirServerUrl, Optional<String> token) {
    return besideEhr(new EhrConnection(fhirServerUrl, token, EhrConnection.DEFAULT_TIMEOUT));
  }

  public ServerSettings besideEhr(EhrConnection connection) {
    return new ServerSettings(host, port, store, contentDir, demo, Optional.of(connection), cdsTrust,
        cdsVerificationOff, publicBaseUrl, smartIssuer, smartPermissions, acceptExposure, site);
  }

  public ServerSettings withCds(Optional<Path> trust, boolean verificationOff) {
    return new ServerSettings(host, port, store, contentDir, demo, ehr, trust,
        verificationOff, publicBaseUrl, smartIssuer, smartPermissions, acceptExposure, site);
  }

  public ServerSettings withSmartIssuer(String issuer) {
    return new ServerSettings(host, port, store, contentDir, demo, ehr, cdsTrust,
        cdsVerificationOff, publicBaseUrl, Optional.of(issuer), smartPermissions, acceptExposure, site);
  }

  /** The SMART scope versions smart-configuration announces: {@code v1}, {@code v2} or both. */
  public ServerSettings withSmartPermissions(Set<String> versions) {
    return new ServerSettings(host, port, store, contentDir, demo, ehr, cdsTrust,
        cdsVerificationOff, publicBaseUrl, smartIssuer, versions, acceptExposure, site);
  }

  public ServerSettings withSite(SiteContacts contacts) {
    return new ServerSettings(host, port, store, contentDir, demo, ehr, cdsTrust,
        cdsVerificationOff, publicBaseUrl, smartIssuer, smartPermissions, acceptExposure, contacts);
  }

  public ServerSettings boundTo(String otherHost, boolean acceptingExposure) {
    return new ServerSettings(otherHost, port, store, contentDir, demo, ehr, cdsTrust,
        cdsVerificationOff, publicBaseUrl, smartIssuer, smartPermissions, acceptingExposure, site);
  }
}
