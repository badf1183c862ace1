package org.prostateed.fhir;

/** URIs the plugin writes into FHIR resources: identifier systems, extensions, canonical bases. */
public final class FhirIds {

  public static final String BASE = "http://prostateed.org/fhir/";
  public static final String TASK_KEY = BASE + "identifier/education-task";
  public static final String RELEASE_KEY = BASE + "identifier/handout-release";
  public static final String REFUSAL_KEY = BASE + "identifier/handout-refusal";
  public static final String CONTENT_SHA256 = BASE + "StructureDefinition/content-sha256";
  public static final String HANDOUT_VERSION = BASE + "StructureDefinition/handout-version";
  public static final String ACKNOWLEDGED_ITEM = BASE + "StructureDefinition/acknowledged-item";
  public static final String RULED_OUT_ITEM = BASE + "StructureDefinition/ruled-out-item";
  /** On a give's Provenance: one answer it rests on and where that answer came from. */
  public static final String ANSWER_ORIGIN = BASE + "StructureDefinition/answer-origin";
  public static final String EDUCATION_ITEM = BASE + "StructureDefinition/education-item";
  public static final String TASK_CODE_SYSTEM = BASE + "CodeSystem/education-task";
  public static final String PLUGIN_DEVICE_NAME = "prostate-education-plugin";

  private FhirIds() {}

  /**
   * Whether {@code value} is a FHIR logical id: {@code [A-Za-z0-9\-\.]{1,64}}. A plain loop: every
   * CDS hook call checks its ids, and the regular expression was a measurable part of the call.
   */
  public static boolean isId(String value) {
    if (value == null || value.isEmpty() || value.length() > 64) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code reference} is a relative reference {@code <type>/<id>}. */
  public static boolean isReference(String reference, String type) {
    return reference != null && reference.startsWith(type + "/") && isId(reference.substring(type.length() + 1));
  }

  /** The canonical URL of the Library resource holding a handout's versions in one language. */
  public static String handoutLibraryUrl(String handoutId, String language) {
    return BASE + "Library/handout-" + handoutId + "-" + language;
  }
}
