package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of the test's own, made with the machine's {@code initdb} and run with its
 * {@code pg_ctl} on a free port, so that a test can stop and start it under a running server
 * without touching the machine's shared cluster. As root it runs as the {@code postgres} user
 * (PostgreSQL refuses to run as root).
 */
final class PrivatePostgres implements AutoCloseable {

  private final Path bin;
  private final Path dir;
  private final int port;

  private PrivatePostgres(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** The newest {@code /usr/lib/postgresql/N/bin} with initdb and pg_ctl, if there is one. */
  static Optional<Path> binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(version -> version.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
          .max(Comparator.comparing(bin -> versionOf(bin.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The binaries, or the calling test skipped with that reason; in CI ({@code CI=true}) or with
   * {@code -Dpostgres.required=true} it fails instead.
   */
  static Path binariesOrSkip() {
    Optional<Path> bin = binaries();
    if (bin.isEmpty()) {
      assertThat(PostgresSuites.REQUIRED).as("PostgreSQL binaries under /usr/lib/postgresql are required in CI").isFalse();
      Assumptions.abort("no PostgreSQL binaries under /usr/lib/postgresql");
    }
    return bin.get();
  }

  private static int versionOf(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A new cluster in a fresh folder, started. */
  static PrivatePostgres start(Path bin) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("prostateed-pg-");
    if (asRoot()) {
      run(List.of("chown", "postgres:postgres", dir.toString()));
    }
    PrivatePostgres postgres = new PrivatePostgres(bin, dir, freePort());
    postgres.pg(List.of(bin.resolve("initdb").toString(), "-D", postgres.data(), "-A", "trust", "-U", "postgres",
        "-E", "UTF8", "--no-sync"));
    postgres.startAgain();
    return postgres;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Stops the server the way an administrator's restart does: sessions are ended, work in flight rolled back. */
  void stop() throws IOException, InterruptedException {
    pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast", "-w", "stop"));
  }

  void startAgain() throws IOException, InterruptedException {
    pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-w", "-l", dir.resolve("server.log").toString(),
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
  }

  private String data() {
    return dir.resolve("data").toString();
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } catch (IOException alreadyStopped) {
      // pg_ctl says so when the server is not running; the folder goes either way
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private void pg(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
