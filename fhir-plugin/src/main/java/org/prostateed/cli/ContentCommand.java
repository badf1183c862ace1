package org.prostateed.cli;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.prostateed.chart.ChartExpressions;
import org.prostateed.content.ContentApproval;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.content.ContentValidator;
import org.prostateed.content.TranslationRecord;
import org.prostateed.fhir.ContentPublisher;
import org.prostateed.fhir.FhirArtifactCheck;
import org.prostateed.fhir.RestFhirStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code content validate | approve | translated | expressions | publish}: the content owner's tools. */
@Command(name = "content", mixinStandardHelpOptions = true,
    description = "Validate, approve and publish the content library.",
    subcommands = {ContentCommand.Validate.class, ContentCommand.Approve.class, ContentCommand.Translated.class,
        ContentCommand.Expressions.class, ContentCommand.Publish.class})
final class ContentCommand {

  @Option(names = "--content-dir", description = "The content folder (default ${DEFAULT-VALUE}).",
      defaultValue = "content")
  Path contentDir;

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check every rule of content/README.md; exit 1 on any error.")
  static final class Validate implements Callable<Integer> {
    @ParentCommand
    private ContentCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--no-fhir", description = "Skip FHIR validation of the JSON artifacts (faster).")
    boolean noFhir;

    @Override
    public Integer call() {
      long started = System.nanoTime();
      List<ContentValidator.Check> checks = noFhir ? List.of(ChartExpressions.check(new ObjectMapper()))
          : List.of(ChartExpressions.check(new ObjectMapper()), new FhirArtifactCheck(FhirContext.forR4Cached()));
      ContentValidator.Report report =
          new ContentValidator(new ObjectMapper(), checks, Clock.systemUTC()).validate(parent.contentDir);
      var out = spec.commandLine().getOut();
      report.findings().forEach(out::println);
      long errors = report.findings().stream().filter(f -> f.level() == ContentValidator.Level.ERROR).count();
      out.printf("%s: %d error(s), %d warning(s) in %d ms%n", parent.contentDir, errors,
          report.findings().size() - errors, (System.nanoTime() - started) / 1_000_000);
      out.flush();
      return report.ok() ? 0 : 1;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Record a clinician's approval of one exact file (bound to its SHA-256).")
  static final class Approve implements Callable<Integer> {
    @ParentCommand
    private ContentCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--artifact", required = true,
        description = "The file inside the content folder, e.g. handouts/prostate-massage/prostate-massage.en.md")
    String artifact;

    @Option(names = "--approver", required = true, description = "The approving clinician's name.")
    String approver;

    @Option(names = "--role", required = true, description = "The approver's role, e.g. 'Consultant urologist'.")
    String role;

    @Option(names = "--date", description = "The approval date (default: today).")
    LocalDate date;

    @Override
    public Integer call() throws Exception {
      Path written = new ContentApproval(new ObjectMapper())
          .approve(parent.contentDir, artifact, approver, role, date == null ? LocalDate.now() : date);
      spec.commandLine().getOut().println("approval written: " + written);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "translated", mixinStandardHelpOptions = true,
      description = "Record that a translation now follows the current version of its original (then approve it again).")
  static final class Translated implements Callable<Integer> {
    @ParentCommand
    private ContentCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--artifact", required = true,
        description = "The translation inside the content folder, e.g. handouts/prostate-massage/prostate-massage.es.md")
    String artifact;

    @Override
    public Integer call() throws Exception {
      Path original = TranslationRecord.record(parent.contentDir, artifact);
      spec.commandLine().getOut().println(artifact + " now records " + original.getFileName() + " as its original");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "expressions", mixinStandardHelpOptions = true,
      description = "Write the SDC pre-fill expressions into each questionnaire from its pre-fill rules.")
  static final class Expressions implements Callable<Integer> {
    @ParentCommand
    private ContentCommand parent;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ObjectMapper json = new ObjectMapper();
      ContentLibrary library = new ContentLoader(json).load(parent.contentDir);
      ChartExpressions expressions = new ChartExpressions(library);
      var out = spec.commandLine().getOut();
      try (var files = Files.list(parent.contentDir.resolve("questionnaire"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          String url = json.readTree(file.toFile()).path("url").asText();
          var questionnaire = library.findQuestionnaire(url);
          if (questionnaire.isEmpty()) {
            continue;
          }
          String written = expressions.write(questionnaire.get());
          boolean changed = !written.equals(Files.readString(file));
          if (changed) {
            Files.writeString(file, written);
          }
          out.println(parent.contentDir.relativize(file) + (changed ? ": expressions written" : ": already current"));
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Put the library into any FHIR R4 server, once per url|version (idempotent).")
  static final class Publish implements Callable<Integer> {
    @ParentCommand
    private ContentCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--fhir-server", required = true, description = "Base URL of the FHIR R4 server.")
    String fhirServer;

    @Option(names = "--bearer-token-env", description = "Name of an environment variable holding an access token.")
    String tokenVariable;

    @Override
    public Integer call() {
      FhirContext fhirContext = FhirContext.forR4Cached();
      ContentLibrary library = new ContentLoader(new ObjectMapper()).load(parent.contentDir);
      String token = tokenVariable == null ? null : System.getenv(tokenVariable);
      int changed = new ContentPublisher(fhirContext, new RestFhirStore(fhirContext, fhirServer, token)).publish(library);
      spec.commandLine().getOut().println("published to " + fhirServer + ": " + changed + " artifact(s) created or updated");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
