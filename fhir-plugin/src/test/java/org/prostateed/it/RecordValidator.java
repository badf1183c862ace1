package org.prostateed.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.prostateed.content.ShippedContent;

/**
 * Issue 25: "validate every resource a give, a refusal, a teach-back and a feedback write with
 * HAPI's FhirInstanceValidator against base R4: no error or fatal issue, and the warnings accepted
 * are listed by message id with the reason." Offline: base R4 with HAPI's in-memory terminology,
 * and the content's own CodeSystems and ValueSets, so the plugin's codes are checked too.
 */
final class RecordValidator {

  /** A warning accepted: the validator's message id, a text its message contains, and why. */
  record Accepted(String messageId, String messageContains, String reason) {

    boolean covers(SingleValidationMessage message) {
      return messageId.equals(message.getMessageId()) && message.getMessage().contains(messageContains);
    }
  }

  static final List<Accepted> ACCEPTED_WARNINGS = List.of(
      new Accepted("http://hl7.org/fhir/StructureDefinition/DomainResource#dom-6", "should have narrative",
          "a best-practice rule: the records carry no narrative; the EHR shows them from their coded content"),
      new Accepted("Terminology_PassThrough_TX_Message", "http://loinc.org",
          "LOINC is not available offline; the one LOINC code written (DocumentReference.type 69730-0) is"
              + " checked by the flow tests"),
      new Accepted("Terminology_PassThrough_TX_Message", "http://prostateed.org/fhir/CodeSystem/education-task",
          "the Task.code system is the plugin's own and is not yet published as a CodeSystem"),
      new Accepted("Terminology_PassThrough_TX_Message", "http://prostateed.org/fhir/CodeSystem/cds-feedback",
          "the AuditEvent.subtype system of CDS feedback is the plugin's own and is not yet published as a"
              + " CodeSystem"),
      new Accepted("Terminology_TX_NoValid_13", "http://hl7.org/fhir/ValueSet/audit-event-sub-type",
          "an extensible binding: FHIR's sub-types name REST interactions, not CDS feedback"));

  private static final FhirValidator VALIDATOR = validator();

  private RecordValidator() {}

  private static FhirValidator validator() {
    return FhirHttp.FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(offlineSupport()));
  }

  /**
   * Base R4, the content's own CodeSystems and ValueSets, HAPI's in-memory terminology, and any
   * {@code packages} (SDC's, for the profile check); code systems none of them knows are warnings.
   */
  static ValidationSupportChain offlineSupport(IValidationSupport... packages) {
    FhirContext fhir = FhirHttp.FHIR;
    PrePopulatedValidationSupport content = new PrePopulatedValidationSupport(fhir);
    for (String folder : List.of("codesystems", "valuesets")) {
      try (Stream<Path> files = Files.list(ShippedContent.folder().resolve(folder))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
          content.addResource(fhir.newJsonParser().parseResource(Files.readString(file)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    UnknownCodeSystemWarningValidationSupport unknownSystems = new UnknownCodeSystemWarningValidationSupport(fhir);
    unknownSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
    List<IValidationSupport> chain = new java.util.ArrayList<>();
    chain.add(new DefaultProfileValidationSupport(fhir));
    chain.addAll(List.of(packages));
    chain.addAll(List.of(content, new InMemoryTerminologyServerValidationSupport(fhir),
        new CommonCodeSystemsTerminologyService(fhir), new SnapshotGeneratingValidationSupport(fhir), unknownSystems));
    return new ValidationSupportChain(chain.toArray(IValidationSupport[]::new));
  }

  /**
   * What is wrong with a record: every error and fatal issue, and every warning that no entry of
   * {@link #ACCEPTED_WARNINGS} covers; each as "severity messageId location: message".
   */
  static List<String> problems(IBaseResource record) {
    return VALIDATOR.validateWithResult(record).getMessages().stream()
        .filter(message -> message.getSeverity() == ResultSeverityEnum.ERROR
            || message.getSeverity() == ResultSeverityEnum.FATAL
            || message.getSeverity() == ResultSeverityEnum.WARNING
                && ACCEPTED_WARNINGS.stream().noneMatch(accepted -> accepted.covers(message)))
        .map(RecordValidator::describe)
        .toList();
  }

  private static String describe(SingleValidationMessage message) {
    return message.getSeverity() + " " + message.getMessageId() + " " + message.getLocationString() + ": "
        + message.getMessage();
  }
}
