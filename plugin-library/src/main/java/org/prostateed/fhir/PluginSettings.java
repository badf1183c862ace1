package org.prostateed.fhir;

import java.time.Clock;
import org.prostateed.handout.SiteContacts;

/**
 * Settings of the plugin itself, whatever server hosts it.
 *
 * @param allowDraft whether draft content may be given (demo mode only; never in production)
 * @param site the clinic and emergency numbers every handout shows; in production each must be set
 * @param clock the clock for recorded times and review dates
 */
public record PluginSettings(boolean allowDraft, SiteContacts site, Clock clock) {

  public PluginSettings {
    if (!allowDraft && !site.missing().isEmpty()) {
      throw new IllegalArgumentException("the site's contact numbers are not all set (" + String.join(", ",
          site.missing()) + "): every handout tells the patient whom to call, so the plugin does not run without"
          + " them outside demo mode");
    }
    if (allowDraft) {
      site = site.withDemoPlaceholders();
    }
  }

  /** Production: only approved content is given, and every site contact must be set. */
  public static PluginSettings production(SiteContacts site) {
    return new PluginSettings(false, site, Clock.systemUTC());
  }

  /** Demo: draft content may be given; a site contact not set shows as an obvious placeholder. */
  public static PluginSettings demo(SiteContacts site) {
    return new PluginSettings(true, site, Clock.systemUTC());
  }

  public static PluginSettings demo() {
    return demo(SiteContacts.none());
  }
}
