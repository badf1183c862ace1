package org.prostateed.server;

import java.nio.file.Path;

/** Where the embedded FHIR store keeps its data: an H2 file (the default) or PostgreSQL. */
public record StoreSettings(String jdbcUrl, String user, String password, int poolSize) {

  public static StoreSettings h2File(Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolve("fhir");
    return new StoreSettings("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "", 10);
  }

  public static StoreSettings jdbc(String jdbcUrl, String user, String password) {
    return new StoreSettings(jdbcUrl, user, password, 20);
  }

  public boolean isPostgres() {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }
}
