package org.prostateed.spring;

import org.prostateed.web.AppServlet;
import org.prostateed.web.PluginEndpoints;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The plugin's settings in a Spring Boot host, under {@code prostate-education.*}: the embedded
 * server's flags under the names a Spring host expects (docs/hapi-starter.md lists them).
 *
 * @param demo draft content may be given and CDS Hooks JWT verification may be switched off
 *     (never in production); unlike the embedded server's {@code --demo}, no demo patient is loaded
 * @param contentDir a content folder to load instead of the packaged library
 * @param site the site file of the contact numbers every handout shows; required outside demo
 * @param baseUrl the public URL at which the host serves the mounts (scheme, authority, context
 *     path), as EHRs call it: the CDS JWT audience and the links of cards and feeds are built from it
 * @param cdsTrust the file of trusted CDS clients; without it every CDS call is refused
 * @param cdsInsecureNoJwt demo only: accept CDS calls without a verified JWT
 * @param mounts where each endpoint is mounted, below the host's context path
 * @param app what the clinician web app is told
 */
@ConfigurationProperties("prostate-education")
public record ProstateEducationProperties(
    boolean demo,
    String contentDir,
    String site,
    String baseUrl,
    String cdsTrust,
    boolean cdsInsecureNoJwt,
    @DefaultValue Mounts mounts,
    @DefaultValue App app) {

  /** By default under {@code /prostate-education/}: the HAPI starter serves its own {@code /cds-services}. */
  public record Mounts(
      @DefaultValue("/prostate-education/cds-services") String cdsServices,
      @DefaultValue("/prostate-education/infobutton") String infobutton,
      @DefaultValue("/prostate-education/handouts") String handouts,
      @DefaultValue("/prostate-education/app") String app) {

    PluginEndpoints.Mounts endpoints() {
      return new PluginEndpoints.Mounts(cdsServices, infobutton, handouts, app);
    }
  }

  /**
   * @param fhirBase the host's FHIR base as the app calls it when no EHR launched it
   * @param connectOrigins origins besides the host the app may call (an EHR's FHIR and
   *     authorisation servers), space-separated
   */
  public record App(
      @DefaultValue(AppServlet.AppSettings.SMART_CLIENT_ID) String smartClientId,
      @DefaultValue(AppServlet.AppSettings.SMART_SCOPES) String smartScopes,
      @DefaultValue("/fhir") String fhirBase,
      @DefaultValue("") String connectOrigins) {}
}
