package org.prostateed.content;

/** The fixed file names of the library, relative to its root. */
final class ContentPaths {

  static final String CATALOG = "catalog.json";
  static final String SETTINGS = "settings.json";
  static final String STOP_SIGNS = "stop-signs.json";
  static final String UNVERIFIED = "unverified-codes.json";

  private ContentPaths() {}
}
