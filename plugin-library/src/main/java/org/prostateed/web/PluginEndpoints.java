package org.prostateed.web;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.prostateed.cdshooks.CdsHooksServlet;
import org.prostateed.cdshooks.CdsJwtVerifier;
import org.prostateed.cdshooks.EducationHooks;
import org.prostateed.cdshooks.JwtSettings;
import org.prostateed.content.ContentLibrary;
import org.prostateed.fhir.FhirStore;
import org.prostateed.fhir.PluginSettings;
import org.prostateed.fhir.RestFhirStore;
import org.prostateed.handout.HandoutRenderer;
import org.prostateed.infobutton.InfobuttonResponder;
import org.prostateed.infobutton.InfobuttonServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin's non-FHIR endpoints, built once from one set of settings: CDS Hooks, Infobutton, the
 * handouts the Infobutton links to, and the clinician web app, each a servlet for the host to mount
 * at {@link #servlets()}'s path. The embedded server and the Spring configuration both build them
 * here, so the links between them (a card's app link, a feed's handout link) follow the mounts.
 *
 * <p>The CDS services have no FHIR caller: they read the chart with the store the plugin acts with
 * as itself, or, given a {@code fhirServer} and token in the request, from the EHR.
 */
public final class PluginEndpoints implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PluginEndpoints.class);

  /** Paths, relative to the host's base URL, where each endpoint is mounted. */
  public record Mounts(String cdsServices, String infobutton, String handouts, String app) {

    public Mounts {
      for (String path : new String[] {cdsServices, infobutton, handouts, app}) {
        if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
          throw new IllegalArgumentException("a mount path starts with '/' and has no empty or trailing segment: " + path);
        }
      }
    }

    /** The paths of the embedded server. */
    public static Mounts standard() {
      return new Mounts("/cds-services", "/infobutton", "/handouts", "/app");
    }
  }

  /**
   * @param baseUrl where the host serves the mounts (scheme, authority and its context path), for
   *     the links the endpoints give: the card's app launch, the feed's handouts
   * @param baseUrlIsPublic the base URL is the one EHRs call (set explicitly, as behind a proxy):
   *     the CDS JWT's audience is built from it; otherwise from the URL the request arrived at
   * @param cdsTrust the CDS clients trusted; empty switches JWT verification off, which only a
   *     plugin allowed to give drafts (demo) accepts
   * @param app what the web app is told
   */
  public record Settings(String baseUrl, boolean baseUrlIsPublic, Mounts mounts, Optional<JwtSettings> cdsTrust,
      AppServlet.AppSettings app) {

    public Settings {
      baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }
  }

  private final EducationHooks hooks;
  private final Map<String, HttpServlet> servlets;

  private PluginEndpoints(EducationHooks hooks, Map<String, HttpServlet> servlets) {
    this.hooks = hooks;
    this.servlets = servlets;
  }

  /** @param pluginStore the store the plugin reads as itself (the CDS services have no FHIR caller) */
  public static PluginEndpoints create(FhirContext fhirContext, ContentLibrary library, PluginSettings plugin,
      FhirStore pluginStore, ObjectMapper json, Settings settings) {
    Optional<CdsJwtVerifier> verifier;
    if (settings.cdsTrust().isEmpty()) {
      if (!plugin.allowDraft()) {
        throw new IllegalArgumentException("CDS Hooks JWT verification can be switched off only in demo mode");
      }
      log.warn("CDS Hooks JWT verification is OFF (demo): any caller is trusted; never use in production");
      verifier = Optional.empty();
    } else {
      verifier = Optional.of(new CdsJwtVerifier(settings.cdsTrust().get(), plugin.clock(),
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()));
    }
    Mounts mounts = settings.mounts();
    String base = settings.baseUrl();
    EducationHooks hooks = new EducationHooks(fhirContext, library, json, base + mounts.app() + "/launch", pluginStore,
        (url, token) -> new RestFhirStore(fhirContext, url, token), plugin.clock());
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put(mounts.cdsServices() + "/*", new CdsHooksServlet(hooks, json, verifier,
        settings.baseUrlIsPublic() ? Optional.of(base + mounts.cdsServices()) : Optional.empty()));
    servlets.put(mounts.infobutton(), new InfobuttonServlet(
        new InfobuttonResponder(library, plugin.allowDraft(), base + mounts.handouts(), json, plugin.clock())));
    servlets.put(mounts.handouts() + "/*", new HandoutServlet(library, plugin.allowDraft(),
        HandoutRenderer.of(plugin.site(), library.settings()), plugin.clock()));
    try {
      servlets.put(mounts.app() + "/*", new AppServlet(settings.app(), json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PluginEndpoints(hooks, Map.copyOf(servlets));
  }

  /** Each servlet by the servlet-mapping pattern it is mounted at. */
  public Map<String, HttpServlet> servlets() {
    return servlets;
  }

  /** Stops the CDS services' fetching threads; the host calls it when it stops. */
  @Override
  public void close() {
    hooks.close();
  }
}
