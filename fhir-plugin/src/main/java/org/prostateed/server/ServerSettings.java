package org.prostateed.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the embedded server is started.
 *
 * @param contentDir a content folder to load instead of the library packed in the jar
 * @param demo load the demo patients and allow draft content (never in production)
 */
public record ServerSettings(String host, int port, StoreSettings store, Optional<Path> contentDir, boolean demo) {}
