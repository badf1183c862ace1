package org.prostateed.fhir;

/** URIs the plugin writes into FHIR resources: identifier systems, extensions, canonical bases. */
final class FhirIds {

  static final String BASE = "http://prostateed.org/fhir/";
  static final String TASK_KEY = BASE + "identifier/education-task";
  static final String RELEASE_KEY = BASE + "identifier/handout-release";
  static final String REFUSAL_KEY = BASE + "identifier/handout-refusal";
  static final String CONTENT_SHA256 = BASE + "StructureDefinition/content-sha256";
  static final String HANDOUT_VERSION = BASE + "StructureDefinition/handout-version";
  static final String ACKNOWLEDGED_ITEM = BASE + "StructureDefinition/acknowledged-item";
  static final String EDUCATION_ITEM = BASE + "StructureDefinition/education-item";
  static final String TASK_CODE_SYSTEM = BASE + "CodeSystem/education-task";
  static final String PLUGIN_DEVICE_NAME = "prostate-education-plugin";

  private FhirIds() {}

  /** The canonical URL of the Library resource holding a handout's versions in one language. */
  static String handoutLibraryUrl(String handoutId, String language) {
    return BASE + "Library/handout-" + handoutId + "-" + language;
  }
}
