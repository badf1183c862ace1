package org.prostateed.handout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a handout sends the patient: the clinic's name and phone number, and the local emergency
 * number. They belong to the site that runs the plugin, not to the content: they are read from a
 * site file outside {@code content/} (so no approval hash covers them) and filled into every
 * rendering. A production server does not start while one is missing; demo mode shows obvious
 * placeholders instead.
 *
 * <pre>{@code {"clinic": {"name": "Riverside Urology", "phone": "555 0100"}, "emergency": {"number": "911"}}}</pre>
 */
public record SiteContacts(String clinicName, String clinicPhone, String emergencyNumber) {

  /** What demo mode shows for a contact the site has not set. */
  static final String DEMO_PLACEHOLDER = "[%s: not set - demo only]";

  /** Reads a site file; a missing key is left null (see {@link #missing}). */
  public static SiteContacts load(Path file, ObjectMapper json) throws IOException {
    JsonNode site = json.readTree(Files.readAllBytes(file));
    return new SiteContacts(text(site.path("clinic").path("name")), text(site.path("clinic").path("phone")),
        text(site.path("emergency").path("number")));
  }

  /** No contact set: what a site without a file has. */
  public static SiteContacts none() {
    return new SiteContacts(null, null, null);
  }

  /** The contacts not set, by their key in the site file. */
  public List<String> missing() {
    List<String> missing = new ArrayList<>();
    placeholders().forEach((key, value) -> {
      if (value == null) {
        missing.add(key);
      }
    });
    return missing;
  }

  /** These contacts with every missing one replaced by an obvious demo placeholder. */
  public SiteContacts withDemoPlaceholders() {
    return new SiteContacts(orDemo(clinicName, "clinic name"), orDemo(clinicPhone, "clinic phone number"),
        orDemo(emergencyNumber, "emergency number"));
  }

  /** The contacts by the name a handout uses for them ({@code {{clinic.phone}}}). */
  public Map<String, String> placeholders() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("clinic.name", clinicName);
    values.put("clinic.phone", clinicPhone);
    values.put("emergency.number", emergencyNumber);
    return values;
  }

  private static String orDemo(String value, String what) {
    return value == null ? DEMO_PLACEHOLDER.formatted(what) : value;
  }

  private static String text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank() ? node.asText().trim() : null;
  }
}
