package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README: "bin/fhir-plugin runs the jar with the class-data-sharing archive the build trained for
 * the command." Each test runs the launcher as a user would and reads java's class-loading log:
 * a class of the plugin that comes from the archive is logged with "source: shared objects file
 * (top)", so a missing, stale or unused archive fails the test.
 */
class LauncherIT {

  private static final Path LAUNCHER = Path.of("..", "bin", "fhir-plugin");
  private static final Path TARGET = Path.of("target");
  private static final boolean REQUIRED = "true".equalsIgnoreCase(System.getenv("CI"));
  private static final String FROM_ARCHIVE = " source: shared objects file (top)";

  @Test
  void contentValidateRunsFromTheValidateArchive(@TempDir Path dir) throws Exception {
    requireArchive("validate.jsa");
    Run run = launch(dir, "content", "--content-dir", Path.of("..", "content").toString(), "validate");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains(": 0 error(s)");
    assertThat(run.classLog()).contains("org.prostateed.fhir.FhirArtifactCheck" + FROM_ARCHIVE);
  }

  // Issue 22: "serve without --demo refuses to start while a number is missing".
  @Test
  void productionServeRefusesToStartWithoutTheSiteContactNumbers(@TempDir Path dir) throws Exception {
    Path site = Files.writeString(dir.resolve("site.json"), "{\"clinic\": {\"name\": \"Riverside Urology\"}}");

    Run withoutFile = launch(dir, "serve", "--port", "0", "--data-dir", dir.resolve("data").toString());
    Run partial = launch(dir, "serve", "--port", "0", "--data-dir", dir.resolve("data").toString(),
        "--site", site.toString());

    assertThat(withoutFile.exit()).isEqualTo(2);
    assertThat(withoutFile.output()).contains("not started", "clinic.name, clinic.phone, emergency.number");
    assertThat(partial.exit()).isEqualTo(2);
    assertThat(partial.output()).contains("(clinic.phone, emergency.number)");
    assertThat(dir.resolve("data")).as("nothing was written").doesNotExist();
  }

  /** The build's training run is this same command: the server starts, is ready, and stops by itself. */
  @Test
  void serverStartsFromTheServerArchiveAndExitsWhenReady(@TempDir Path dir) throws Exception {
    requireArchive("server.jsa");
    Run run = launch(dir, "--demo", "--port", "0", "--data-dir", dir.resolve("data").toString(), "--exit-when-ready");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("ready at http://127.0.0.1:");
    assertThat(run.classLog()).contains("org.prostateed.server.EmbeddedServer" + FROM_ARCHIVE);
  }

  // bin/fhir-plugin: "for the server, G1's old-generation marking from 70 % of the heap, fixed";
  // "JAVA_OPTS can change it". java prints the flags it runs with; --help ends the run at once.
  @Test
  void serverMarksTheOldGenerationFromAFixedSeventyPercentUnlessJavaOptsSaysOtherwise(@TempDir Path dir)
      throws Exception {
    Run defaults = launchWith(dir, "-XX:+PrintFlagsFinal", "--help");
    assertThat(defaults.exit()).as(defaults.output()).isZero();
    assertThat(flag(defaults, "G1UseAdaptiveIHOP")).isEqualTo("false");
    assertThat(flag(defaults, "InitiatingHeapOccupancyPercent")).isEqualTo("70");

    Run changed = launchWith(dir, "-XX:+PrintFlagsFinal -XX:InitiatingHeapOccupancyPercent=55", "--help");
    assertThat(flag(changed, "InitiatingHeapOccupancyPercent")).isEqualTo("55");

    Run validate = launchWith(dir, "-XX:+PrintFlagsFinal", "content", "--help");
    assertThat(flag(validate, "G1UseAdaptiveIHOP")).as("the one-shot commands keep G1's defaults").isEqualTo("true");
  }

  /** A flag's value in java's -XX:+PrintFlagsFinal table. */
  private static String flag(Run run, String name) {
    return run.output().lines()
        .map(String::trim)
        .filter(line -> line.matches("\\S+\\s+" + name + "\\s+=.*"))
        .map(line -> line.split("=")[1].trim().split("\\s+")[0])
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not in java's flag table"));
  }

  private static void requireArchive(String name) {
    Assumptions.assumeTrue(Files.exists(TARGET.resolve(name)) || REQUIRED,
        name + " is written by 'mvn package' unless -DskipContentValidation or -DskipServerArchive is given");
  }

  private static Run launch(Path dir, String... args) throws IOException, InterruptedException {
    return launchWith(dir, "", args);
  }

  private static Run launchWith(Path dir, String javaOpts, String... args) throws IOException, InterruptedException {
    Path classLog = dir.resolve("class-load.log");
    Path output = dir.resolve("output.log");
    List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("JAVA_OPTS", "-Xmx512m -Xlog:class+load=info:file=" + classLog + " " + javaOpts);
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the launcher did not end within 180 s");
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
        Files.readString(classLog, StandardCharsets.UTF_8));
  }

  private record Run(int exit, String output, String classLog) {}
}
