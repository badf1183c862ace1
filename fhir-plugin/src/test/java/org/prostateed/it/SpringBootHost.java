package org.prostateed.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Spring Boot HAPI JPA server in a JVM of its own, started the way the HAPI JPA server starter is
 * started with extra jars: by Spring Boot's PropertiesLauncher, with the plugin's {@code hapi-host}
 * folder (the plugin jar and the libraries it needs beyond HAPI, Spring and the servlet API, as
 * the library build assembles it) on {@code loader.path}, and the plugin switched on only by
 * properties. Two hosts: {@link #starterLike} ({@code org.prostateed.springhost.StarterLikeHost},
 * whose own part of that path is the test class path without the plugin and without any jar of
 * its folder, so a library the folder lacked would fail the start), and {@link #realStarter}, a
 * {@code ROOT.war} of the HAPI JPA server starter itself (docs/hapi-starter.md).
 */
final class SpringBootHost implements AutoCloseable {

  /** The properties that switch the plugin on in a HAPI starter, and the host's authorisation rule. */
  static final List<String> PLUGIN_PROPERTIES = List.of(
      "--hapi.fhir.custom-bean-packages=org.prostateed.spring",
      "--hapi.fhir.custom-interceptor-classes=org.prostateed.it.HostRules",
      "--prostate-education.demo=true",
      "--prostate-education.cds-insecure-no-jwt=true");

  private final Process process;
  private final int port;
  private final Path log;
  private final List<Path> hostPath;

  private SpringBootHost(Process process, int port, Path log, List<Path> hostPath) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.hostPath = hostPath;
  }

  /** The host's own class path: every loader.path entry but the plugin folder. */
  List<Path> hostPath() {
    return hostPath;
  }

  static SpringBootHost starterLike(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path pluginFolder = pluginFolder();
    Set<String> pluginJars;
    try (Stream<Path> jars = Files.list(pluginFolder)) {
      pluginJars = jars.map(jar -> jar.getFileName().toString()).collect(Collectors.toSet());
    }
    List<String> host = new ArrayList<>(List.of(testClasses(), Path.of("target/classes").toAbsolutePath().toString()));
    String launcher = null;
    for (String entry : Files.readString(Path.of("target/test.classpath")).trim().split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.startsWith("spring-boot-loader-")) {
        launcher = entry;
      } else if (!pluginJars.contains(name) && !entry.contains("prostate-education-plugin")
          && !entry.contains("plugin-library")) {
        host.add(entry);
      }
    }
    if (launcher == null) {
      throw new IllegalStateException("spring-boot-loader is not on the test class path");
    }
    int port = freePort();
    List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-cp", launcher,
        "-Dloader.main=org.prostateed.springhost.StarterLikeHost",
        "-Dloader.path=" + String.join(",", host) + "," + pluginFolder,
        "org.springframework.boot.loader.launch.PropertiesLauncher",
        "--host.data-dir=" + dir.resolve("h2")));
    return launch(command, dir, dir, port, host.stream().map(Path::of).toList());
  }

  /**
   * The HAPI JPA server starter's own {@code ROOT.war}, launched as its Dockerfile does (the war's
   * classes and libraries, then the extra folders, on loader.path; entries inside the war are
   * relative to the working directory), on an H2 file. The host's rule ({@link HostRules}) comes
   * from the test classes, as a site's own interceptor would come from its own folder.
   */
  static SpringBootHost realStarter(Path dir, Path war) throws Exception {
    Files.createDirectories(dir);
    String name = war.getFileName().toString();
    int port = freePort();
    List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-cp", name,
        "-Dloader.path=" + name + "!/WEB-INF/classes/," + name + "!/WEB-INF/," + testClasses() + "," + pluginFolder(),
        "org.springframework.boot.loader.PropertiesLauncher",
        "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("h2").toAbsolutePath() + "/fhir",
        // A clinician sees a Task or a given handout as soon as it is written (the starter reuses
        // cached search results for 60 s by default).
        "--hapi.fhir.reuse_cached_search_results_millis=0"));
    return launch(command, war.toAbsolutePath().getParent(), dir, port,
        List.of(war.toAbsolutePath(), Path.of(testClasses())));
  }

  private static SpringBootHost launch(List<String> command, Path workingDir, Path dir, int port, List<Path> hostPath)
      throws Exception {
    command.addAll(List.of("--server.address=127.0.0.1", "--server.port=" + port,
        "--prostate-education.base-url=http://127.0.0.1:" + port));
    command.addAll(PLUGIN_PROPERTIES);
    Path log = dir.resolve("host.log");
    Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    SpringBootHost started = new SpringBootHost(process, port, log, hostPath);
    started.awaitReady();
    return started;
  }

  /**
   * {@link #realStarter} on the {@code ROOT.war} {@code HAPI_STARTER_WAR} names; the suite is
   * skipped, with that reason, where it names none (docs/hapi-starter.md builds one).
   */
  static SpringBootHost realStarterIfBuilt(Path dir) throws Exception {
    java.util.Optional<Path> war = java.util.Optional.ofNullable(System.getenv("HAPI_STARTER_WAR"))
        .filter(path -> !path.isBlank()).map(Path::of).filter(Files::isRegularFile);
    org.junit.jupiter.api.Assumptions.assumeTrue(war.isPresent(),
        "HAPI_STARTER_WAR names no HAPI JPA server starter ROOT.war (docs/hapi-starter.md builds one)");
    return realStarter(dir, war.get());
  }

  private static String testClasses() {
    return Path.of("target/test-classes").toAbsolutePath().toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The library build's {@code prostate-education-plugin-<version>-hapi-host} folder. */
  private static Path pluginFolder() throws IOException {
    try (Stream<Path> built = Files.list(Path.of("../plugin-library/target"))) {
      return built.filter(path -> Files.isDirectory(path) && path.getFileName().toString().endsWith("-hapi-host"))
          .findFirst().orElseThrow(() -> new IllegalStateException("build plugin-library first: no *-hapi-host folder"))
          .toAbsolutePath();
    }
  }

  private void awaitReady() throws Exception {
    // The host's rule refuses even metadata to a caller it does not know.
    FhirHttp http = new FhirHttp(fhirBase()).withBearer(HostRules.ADMIN);
    try {
      org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
          .until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("the Spring Boot host stopped: " + logTail());
            }
            try {
              return http.get("metadata").status() == 200;
            } catch (RuntimeException notListeningYet) {
              return false;
            }
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      close();
      throw new IllegalStateException("the Spring Boot host did not answer within 4 minutes: " + logTail(), e);
    }
  }

  String origin() {
    return "http://127.0.0.1:" + port;
  }

  String fhirBase() {
    return origin() + "/fhir";
  }

  String logText() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private String logTail() throws IOException {
    String text = logText();
    return text.substring(Math.max(0, text.length() - 4000));
  }

  /** Loads the demo patients over HTTP, as the host's administrator. */
  void loadDemoPatients() throws Exception {
    String bundle = FhirHttp.FHIR.newJsonParser().encodeResourceToString(
        org.prostateed.server.DemoData.patients(FhirHttp.FHIR, java.time.LocalDate.now()));
    FhirHttp.Reply reply = new FhirHttp(fhirBase()).withBearer(HostRules.ADMIN)
        .postJson("", bundle);
    if (reply.status() != 200) {
      throw new IllegalStateException("demo transaction answered " + reply.status() + ": " + reply.body());
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
