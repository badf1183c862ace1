package org.prostateed.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md: the engine (diagnosis matching, the decision, the content model and
 * personalisation) is plain Java over the plugin's own records. It imports nothing from
 * ca.uhn.fhir, org.hl7.fhir, jakarta.servlet or Spring. The library a host adds (every package
 * but server and cli) reaches neither those two nor a web server, CLI or logging implementation.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      // The library's test helpers reach this module as its test jar.
      .withImportOption(location -> !location.contains("-tests.jar"))
      .importPackages("org.prostateed");

  @Test
  void theCoreImportsNoFhirOrTransportTypes() {
    noClasses().that().resideInAnyPackage("org.prostateed.engine..", "org.prostateed.content..",
            "org.prostateed.handout..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "ca.uhn.fhir..", "org.hl7.fhir..", "jakarta.ws.rs..", "jakarta.servlet..", "org.springframework..")
        .check(CLASSES);
  }

  @Test
  void theCoreDoesNotReachIntoAdapters() {
    noClasses().that().resideInAnyPackage("org.prostateed.engine..", "org.prostateed.content..",
            "org.prostateed.handout..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.prostateed.fhir..", "org.prostateed.server..", "org.prostateed.cli..")
        .check(CLASSES);
  }

  @Test
  void theLibraryKnowsNoServerOrCli() {
    noClasses().that().resideOutsideOfPackages("org.prostateed.server..", "org.prostateed.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("org.prostateed.server..", "org.prostateed.cli..",
            "org.eclipse.jetty..", "org.glassfish..", "picocli..", "ch.qos.logback..", "org.h2..", "org.postgresql..",
            "com.zaxxer..")
        .check(CLASSES);
  }

  // docs/hapi-starter.md: Spring Boot is the host's, and only a Spring Boot host needs it. Only the
  // spring package touches it, and nothing else in the library touches the spring package, so a
  // host without Spring Boot (the embedded server, any plain HAPI server) never loads it.
  @Test
  void springBootStaysInTheSpringPackage() {
    noClasses().that().resideOutsideOfPackage("org.prostateed.spring..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework.boot..", "org.prostateed.spring..")
        .check(CLASSES);
  }

  // Issue 23: "No static executors: anything concurrent has an owner that closes it, and ArchUnit
  // forbids a static ExecutorService." A library that other servers embed must not start threads
  // that nobody can stop.
  @Test
  void nothingHoldsAStaticExecutor() {
    noFields().that().areStatic()
        .should().haveRawType(com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo(
            java.util.concurrent.Executor.class))
        .check(CLASSES);
  }
}
