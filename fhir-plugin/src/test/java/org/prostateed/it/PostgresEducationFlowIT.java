package org.prostateed.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.prostateed.server.StoreSettings;

/**
 * The same flow on PostgreSQL (production mode), in a fresh database created for this run and
 * dropped after. The machine's PostgreSQL on 127.0.0.1:5432 is used ({@code .ci/run} starts it);
 * set {@code -Dpostgres.url=jdbc:postgresql://host:port/} to use another. Where no PostgreSQL
 * answers, the suite is skipped with that reason, except in CI ({@code CI=true}) or with
 * {@code -Dpostgres.required=true}, where it fails.
 */
class PostgresEducationFlowIT extends EducationFlowContract {

  private static final String SERVER = System.getProperty("postgres.url", "jdbc:postgresql://127.0.0.1:5432/");
  private static final String USER = System.getProperty("postgres.user", "postgres");
  private final String database = "prostateed_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
      .toLowerCase(Locale.ROOT);

  @Override
  Running start(Path dataDir) throws Exception {
    return embedded(store());
  }

  private StoreSettings store() throws SQLException {
    try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      if (PostgresSuites.REQUIRED) {
        throw e;
      }
      Assumptions.abort("no PostgreSQL at " + SERVER + " (" + e.getMessage() + ")");
    }
    return StoreSettings.jdbc(SERVER + database, USER, "");
  }

  @Override
  void dropStore() throws SQLException {
    try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (SQLException e) {
      if (PostgresSuites.REQUIRED) {
        throw e;
      }
    }
  }
}
