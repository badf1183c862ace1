package org.prostateed.cli;

import ca.uhn.fhir.context.FhirContext;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.prostateed.fhir.HandoutRecall;
import org.prostateed.fhir.RestFhirStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recall}: retire a handout version now and list everyone who received it. */
@Command(name = "recall", mixinStandardHelpOptions = true,
    description = "Retire a handout version (it is never given again) and list every patient and encounter"
        + " that received it, as tab-separated lines: patient, encounter, document, date.")
final class RecallCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--fhir-server", required = true, description = "Base URL of the FHIR R4 server.")
  String fhirServer;

  @Option(names = "--handout", required = true, description = "Handout id, e.g. prostate-massage.")
  String handout;

  @Option(names = "--language", required = true, description = "Language of the version, e.g. en.")
  String language;

  @Option(names = "--version", required = true, description = "The version to retire, e.g. 0.2.0.")
  String version;

  @Option(names = "--reason", required = true, description = "Why the version is retired (recorded).")
  String reason;

  @Option(names = "--bearer-token-env", description = "Name of an environment variable holding an access token.")
  String tokenVariable;

  @Override
  public Integer call() {
    FhirContext fhirContext = FhirContext.forR4Cached();
    String token = tokenVariable == null ? null : System.getenv(tokenVariable);
    List<HandoutRecall.Recipient> recipients = new HandoutRecall(new RestFhirStore(fhirContext, fhirServer, token))
        .retire(handout, language, version, reason);
    PrintWriter out = spec.commandLine().getOut();
    out.println("patient\tencounter\tdocument\tdate");
    for (HandoutRecall.Recipient recipient : recipients) {
      out.println(String.join("\t", recipient.patient(), recipient.encounter(), recipient.document(), recipient.date()));
    }
    out.println(recipients.size() + " release(s) of " + handout + " " + language + " " + version + " to recall");
    out.flush();
    return 0;
  }
}
