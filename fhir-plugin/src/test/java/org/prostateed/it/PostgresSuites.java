package org.prostateed.it;

/** What the suites that need PostgreSQL share. */
final class PostgresSuites {

  /**
   * Whether a suite that needs PostgreSQL must fail rather than skip when it has none: in CI
   * ({@code CI=true}) or with {@code -Dpostgres.required=true}.
   */
  static final boolean REQUIRED =
      Boolean.getBoolean("postgres.required") || "true".equalsIgnoreCase(System.getenv("CI"));

  private PostgresSuites() {}
}
