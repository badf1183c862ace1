package org.prostateed.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Front-end packages the browser suites run, fetched from the npm registry at test time and
 * unpacked under {@code target/npm/} (never committed). A package's own published {@code dist}
 * is used as it is: {@code npm pack} fetches the one tarball without its build dependencies. Where
 * npm is missing the suite is skipped with that reason, except in CI, where it fails.
 */
final class NpmPackages {

  /** The LHC-Forms release the SDC renderer suite is checked against. */
  static final String LFORMS_VERSION = "40.1.3";

  /** The accessibility engine the browser suites run on every screen state. */
  static final String AXE_CORE_VERSION = "4.11.0";

  /** The SMART client LHC-Forms reads the chart through ({@code LForms.Util.setFHIRContext}). */
  static final String FHIRCLIENT_VERSION = "2.6.3";

  /**
   * CSIRO's Smart Forms renderer, its pre-fill engine, the React it runs on and the bundler of
   * its test page. The top level is pinned; npm resolves the rest.
   */
  static final Map<String, String> SMART_FORMS = Map.of(
      "@aehrc/smart-forms-renderer", "1.4.0",
      "@aehrc/sdc-populate", "4.7.1",
      "react", "18.3.1",
      "react-dom", "18.3.1",
      "esbuild", "0.25.0");

  private static final Path ROOT = Path.of("target", "npm");

  private NpmPackages() {}

  /** The unpacked {@code package/} folder of {@code name@version}, fetched once per build folder. */
  static synchronized Path unpacked(String name, String version) throws IOException, InterruptedException {
    Path tarball = tarball(name, version);
    Path unpacked = tarball.resolveSibling("package");
    if (Files.isRegularFile(unpacked.resolve("package.json"))) {
      return unpacked;
    }
    if (!run(tarball.getParent(), 180, "tar", "-xzf", tarball.toString())) {
      throw new IllegalStateException("could not unpack " + tarball);
    }
    return unpacked;
  }

  /**
   * A folder {@code target/npm/<name>} with these dependencies installed by {@code npm install},
   * once per build folder (again when the list changes).
   */
  static synchronized Path installed(String name, Map<String, String> dependencies)
      throws IOException, InterruptedException {
    Path folder = ROOT.resolve(name).toAbsolutePath();
    String manifest = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValueAsString(Map.of("name", name, "private", true, "dependencies", new java.util.TreeMap<>(dependencies)));
    Path done = folder.resolve("node_modules").resolve(".installed-for");
    if (Files.isRegularFile(done) && Files.readString(done).equals(manifest)) {
      return folder;
    }
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("package.json"), manifest);
    boolean installed = run(folder, 900, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
    if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("npm could not install " + dependencies.keySet() + " in CI (see " + folder
          + "/npm.log)");
    }
    Assumptions.assumeTrue(installed, "npm could not install " + dependencies.keySet()
        + " (npm missing or registry unreachable)");
    Files.writeString(done, manifest);
    return folder;
  }

  /** The tarball of {@code name@version} as the registry serves it, fetched once per build folder. */
  static synchronized Path tarball(String name, String version) throws IOException, InterruptedException {
    Path folder = ROOT.resolve(name + "-" + version).toAbsolutePath();
    Path existing = findTarball(folder);
    if (existing != null) {
      return existing;
    }
    Files.createDirectories(folder);
    boolean fetched = run(folder, 180, "npm", "pack", "--silent", name + "@" + version, "--pack-destination", folder.toString());
    if (!fetched && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("npm could not fetch " + name + "@" + version + " in CI");
    }
    Assumptions.assumeTrue(fetched, "npm could not fetch " + name + "@" + version + " (npm missing or registry unreachable)");
    Path tarball = findTarball(folder);
    if (tarball == null) {
      throw new IllegalStateException("npm pack wrote no tarball for " + name);
    }
    return tarball;
  }

  private static Path findTarball(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return null;
    }
    try (var files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst().orElse(null);
    }
  }

  /** Runs a command in a folder, its output to {@code npm.log} there: whether it ran and succeeded in time. */
  static boolean run(Path directory, long seconds, String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(List.of(command)).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(directory.resolve("npm.log").toFile()).start();
    } catch (IOException notInstalled) {
      return false;
    }
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return false;
    }
    return process.exitValue() == 0;
  }
}
