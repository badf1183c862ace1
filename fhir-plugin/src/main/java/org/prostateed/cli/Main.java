package org.prostateed.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.prostateed.handout.SiteContacts;
import org.prostateed.server.EhrConnection;
import org.prostateed.server.EmbeddedServer;
import org.prostateed.server.ServerSettings;
import org.prostateed.server.StoreSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar fhir-plugin.jar [serve] [options]}: the command line of the plugin. */
@Command(name = "fhir-plugin", mixinStandardHelpOptions = true,
    description = "Prostate massage education plugin for FHIR R4 EHRs.",
    subcommands = {Main.Serve.class, ContentCommand.class, RecallCommand.class})
public final class Main implements Callable<Integer> {

  @CommandLine.Mixin
  private ServeOptions serveOptions = new ServeOptions();

  public static void main(String[] args) {
    // An explicit exit: a server stopped by --exit-when-ready may leave library threads behind.
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** With no command, {@code serve} runs. */
  @Override
  public Integer call() throws Exception {
    return serveOptions.serve();
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Run the embedded HAPI FHIR server with the plugin (the default command).")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Mixin
    private ServeOptions options = new ServeOptions();

    @Override
    public Integer call() throws Exception {
      return options.serve();
    }
  }

  /** The options of {@code serve}. */
  static final class ServeOptions {
    @Option(names = "--port", description = "HTTP port (default ${DEFAULT-VALUE}).", defaultValue = "8080")
    int port;

    @Option(names = "--host", description = "Address to bind (default ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--data-dir", description = "Folder of the H2 database (default ${DEFAULT-VALUE}).",
        defaultValue = "./data")
    Path dataDir;

    @Option(names = "--db", description = "JDBC URL of a PostgreSQL database instead of H2.")
    String db;

    @Option(names = "--db-user", description = "Database user (default ${DEFAULT-VALUE}).", defaultValue = "postgres")
    String dbUser;

    @Option(names = "--db-password", description = "Database password (default: none).", defaultValue = "")
    String dbPassword;

    @Option(names = "--content-dir", description = "Content folder to load instead of the packaged library.")
    Path contentDir;

    @Option(names = "--demo", description = "Load the demo patients and allow draft content (never in production).")
    boolean demo;

    @Option(names = "--fhir-server", description = "Run beside an EHR: use its FHIR R4 server over REST, no local store.")
    String fhirServer;

    @Option(names = "--fhir-server-token-env", description = "Environment variable holding the access token for --fhir-server.")
    String fhirServerTokenEnv;

    @Option(names = "--fhir-server-timeout", description = "Seconds to wait for --fhir-server to connect and to"
        + " answer; beyond it the request gets 503 with Retry-After (default ${DEFAULT-VALUE}).", defaultValue = "10")
    long fhirServerTimeout;

    @Option(names = "--cds-trust", description = "JSON file of trusted CDS clients (issuers, JWKS, allowed jku URLs).")
    Path cdsTrust;

    @Option(names = "--cds-insecure-no-jwt", description = "Demo only: accept CDS calls without a verified JWT (logged as a warning).")
    boolean cdsInsecure;

    @Option(names = "--public-url", description = "The base URL EHRs reach this server by (for JWT audiences and links).")
    String publicUrl;

    @Option(names = "--smart-issuer", description = "OpenID Connect issuer that authorises SMART launches against /fhir.")
    String smartIssuer;

    @Option(names = "--smart-permissions", split = ",", defaultValue = "v1,v2",
        description = "The SMART scope versions /fhir/.well-known/smart-configuration announces: v1, v2 or both"
            + " (default ${DEFAULT-VALUE}).")
    java.util.Set<String> smartPermissions;

    @Option(names = "--accept-network-exposure", description = "Allow --host beyond loopback although /fhir has no"
        + " authorisation of its own (only behind a proxy or firewall that provides it).")
    boolean acceptExposure;

    @Option(names = "--site", description = "JSON file of the site's contact numbers that every handout shows"
        + " (clinic name and phone, emergency number); required outside --demo. See docs/site.md.")
    Path site;

    @Option(names = "--exit-when-ready", description = "Start, publish the content (and the demo data), then stop:"
        + " a start-up check, and the build's class-data-sharing training run.")
    boolean exitWhenReady;

    int serve() throws Exception {
      SiteContacts contacts = site == null ? SiteContacts.none() : SiteContacts.load(site, new ObjectMapper());
      if (!demo && !contacts.missing().isEmpty()) {
        System.err.println("not started: the site's contact numbers are not all set (" + String.join(", ",
            contacts.missing()) + "). Every handout tells the patient whom to call: give them in a site file with"
            + " --site (see docs/site.md), or run with --demo to see placeholders.");
        return 2;
      }
      StoreSettings store = db == null ? StoreSettings.h2File(dataDir) : StoreSettings.jdbc(db, dbUser, dbPassword);
      ServerSettings settings = new ServerSettings(host, port, store, Optional.ofNullable(contentDir), demo,
          Optional.ofNullable(fhirServer).map(url -> new EhrConnection(url,
              Optional.ofNullable(fhirServerTokenEnv).map(System::getenv), Duration.ofSeconds(fhirServerTimeout))),
          Optional.ofNullable(cdsTrust), cdsInsecure, Optional.ofNullable(publicUrl), Optional.ofNullable(smartIssuer),
          smartPermissions, acceptExposure, contacts);
      EmbeddedServer server = EmbeddedServer.start(settings);
      if (exitWhenReady) {
        server.close();
        return 0;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close();
        } catch (Exception e) {
          // the JVM is exiting; nothing more can be done
        }
      }));
      server.join();
      return 0;
    }
  }
}
