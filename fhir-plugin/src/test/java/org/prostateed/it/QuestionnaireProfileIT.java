package org.prostateed.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.junit.jupiter.api.Test;
import org.prostateed.content.ShippedContent;

/**
 * Issue 25: "Validate the Questionnaire against the SDC profiles it claims ... load them with
 * HAPI's NpmPackageValidationSupport, fetched by the build ... never committed, and claim those
 * profiles, unversioned, in meta.profile." The packages come from the npm registry at test time:
 * SDC 4.0.0-ballot, and, of the two packages it names that npm does not serve, the versions it
 * does (extensions 5.3.0-ballot-tc1 for 5.1.0, terminology 7.0.1 for 6.1.0).
 */
class QuestionnaireProfileIT {

  private static final FhirContext FHIR = FhirHttp.FHIR;
  private static final String SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/";
  /**
   * What HAPI's validator cannot check offline, each with why. SDC 4.0.0-ballot slices
   * Questionnaire.extension and item.extension on R5 cross-version extensions
   * ({@code http://hl7.org/fhir/5.0/StructureDefinition/extension-...}); their definitions come
   * from no package the npm registry serves, so each extension is reported as a slice that cannot
   * be evaluated, and the one such extension the questionnaire carries (versionAlgorithm, which
   * SDC's rule sdc-2 requires beside a version) as an extension of an unknown FHIR version.
   * Nothing else may be reported.
   */
  static final List<String> CROSS_VERSION_LIMITS = List.of("SLICING_CANNOT_BE_EVALUATED", "Extension_EXT_Version_Invalid");
  static final String CROSS_VERSION_PROFILE = "http://hl7.org/fhir/5.0/StructureDefinition/extension-";

  /** A best-practice warning: the Questionnaire carries no narrative; renderers build the form from its items. */
  static final String NO_NARRATIVE = "http://hl7.org/fhir/StructureDefinition/DomainResource#dom-6";

  private static final List<String[]> PACKAGES = List.of(
      new String[] {"hl7.terminology.r4", "7.0.1"},
      new String[] {"hl7.fhir.uv.extensions.r4", "5.3.0-ballot-tc1"},
      new String[] {"hl7.fhir.uv.sdc", "4.0.0-ballot"});

  @Test
  void theQuestionnaireClaimsTheSdcProfileUnversionedAndValidatesAgainstIt() throws Exception {
    NpmPackageValidationSupport packages = new NpmPackageValidationSupport(FHIR);
    // NpmPackageValidationSupport reads a package from the class path: the fetched tarball is
    // copied under target/test-classes, which is on it.
    Path onClassPath = Path.of("target", "test-classes", "npm-packages");
    Files.createDirectories(onClassPath);
    for (String[] npm : PACKAGES) {
      Path tarball = NpmPackages.tarball(npm[0], npm[1]);
      Files.copy(tarball, onClassPath.resolve(npm[0] + ".tgz"), StandardCopyOption.REPLACE_EXISTING);
      packages.loadPackageFromClasspath("classpath:npm-packages/" + npm[0] + ".tgz");
    }
    FhirValidator validator = FHIR.newValidator().registerValidatorModule(
        new FhirInstanceValidator(RecordValidator.offlineSupport(packages)));
    Questionnaire questionnaire = FHIR.newJsonParser().parseResource(Questionnaire.class, Files.readString(
        ShippedContent.folder().resolve("questionnaire").resolve("prostate-massage-contraindications.json")));

    assertThat(questionnaire.getMeta().getProfile()).extracting(CanonicalType::getValue)
        .containsExactly(SDC + "sdc-questionnaire");
    // SDC's rule sdc-2: "If version is present, versionAlgorithm must be present."
    assertThat(questionnaire.getExtensionByUrl(CROSS_VERSION_PROFILE + "Questionnaire.versionAlgorithm[x]"))
        .isNotNull();
    assertThat(packages.fetchStructureDefinition(SDC + "sdc-questionnaire")).as("SDC's profile loaded").isNotNull();
    List<String> problems = validator.validateWithResult(questionnaire).getMessages().stream()
        .filter(message -> message.getSeverity() == ResultSeverityEnum.ERROR
            || message.getSeverity() == ResultSeverityEnum.FATAL || message.getSeverity() == ResultSeverityEnum.WARNING)
        .filter(message -> !(CROSS_VERSION_LIMITS.contains(message.getMessageId())
            && message.getMessage().contains(CROSS_VERSION_PROFILE)))
        .filter(message -> !NO_NARRATIVE.equals(message.getMessageId()))
        .map(message -> message.getSeverity() + " " + message.getMessageId() + " " + message.getLocationString() + ": "
            + message.getMessage())
        .toList();
    assertThat(problems).isEmpty();
  }
}
