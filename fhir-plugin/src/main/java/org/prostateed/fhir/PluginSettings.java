package org.prostateed.fhir;

import java.time.Clock;

/**
 * Settings of the plugin itself, whatever server hosts it.
 *
 * @param allowDraft whether draft content may be given (demo mode only; never in production)
 * @param clock the clock for recorded times and review dates
 */
public record PluginSettings(boolean allowDraft, Clock clock) {

  public static PluginSettings production() {
    return new PluginSettings(false, Clock.systemUTC());
  }

  public static PluginSettings demo() {
    return new PluginSettings(true, Clock.systemUTC());
  }
}
