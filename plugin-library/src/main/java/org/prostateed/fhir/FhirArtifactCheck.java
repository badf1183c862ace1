package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.prostateed.content.ContentValidator;
import org.prostateed.content.ContentValidator.Finding;
import org.prostateed.content.ContentValidator.Level;

/**
 * Validates every FHIR JSON artifact of the library (questionnaire, value sets, code systems)
 * against the R4 specification with HAPI's offline instance validator. Errors fail; warnings
 * about code systems that need a terminology server (SNOMED CT, ICD-10-CM) are expected offline
 * and not reported. Two things are left to the profile check, which loads SDC and its packages
 * (QuestionnaireProfileIT, docs/operations.md): the profiles an artifact claims in
 * {@code meta.profile}, and the top-level R5 cross-version extensions ({@code http://hl7.org/fhir/5.0/...},
 * such as the versionAlgorithm SDC asks for) and SDC extensions (such as {@code launchContext}, whose
 * codes SDC defines), which the R4 specification alone does not define.
 */
public final class FhirArtifactCheck implements ContentValidator.Check {

  private static final List<String> FOLDERS = List.of("questionnaire", "valuesets", "codesystems");

  /** R5 cross-version extensions, which the R4 specification does not define. */
  static final String CROSS_VERSION = "http://hl7.org/fhir/5.0/StructureDefinition/extension-";

  /** SDC's own extensions. */
  static final String SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DefaultProfileValidationSupport specification;
  private final FhirValidator validator;

  public FhirArtifactCheck(FhirContext fhirContext) {
    this.specification = new DefaultProfileValidationSupport(fhirContext);
    ValidationSupportChain support = new ValidationSupportChain(
        specification,
        new InMemoryTerminologyServerValidationSupport(fhirContext),
        new CommonCodeSystemsTerminologyService(fhirContext),
        new SnapshotGeneratingValidationSupport(fhirContext));
    this.validator = fhirContext.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
  }

  /**
   * The artifact's JSON without the profiles it claims and without its top-level R5 cross-version
   * and SDC extensions, all the profile check's; the text is validated,
   * not a parsed model, so that an unknown or misspelt element is still reported.
   */
  private static String forTheR4Check(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root instanceof ObjectNode resource && resource.get("meta") instanceof ObjectNode meta) {
        meta.remove("profile");
        if (meta.isEmpty()) {
          resource.remove("meta");
        }
      }
      if (root instanceof ObjectNode resource && resource.get("extension") instanceof ArrayNode extensions) {
        for (int i = extensions.size() - 1; i >= 0; i--) {
          String url = extensions.get(i).path("url").asText();
          if (url.startsWith(CROSS_VERSION) || url.startsWith(SDC)) {
            extensions.remove(i);
          }
        }
        if (extensions.isEmpty()) {
          resource.remove("extension");
        }
      }
      return JSON.writeValueAsString(root);
    } catch (IOException notJson) {
      return json; // the validator reports it
    }
  }

  @Override
  public List<Finding> check(Path root) {
    List<Path> files = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (String folder : FOLDERS) {
      Path dir = root.resolve(folder);
      if (Files.isDirectory(dir)) {
        try {
          files.addAll(ContentValidator.files(dir, ".json"));
        } catch (IOException e) {
          findings.add(new Finding(Level.ERROR, folder, "cannot be read: " + e.getMessage()));
        }
      }
    }
    if (files.isEmpty()) {
      return findings;
    }
    // Most of the time goes into reading the R4 specification, which HAPI loads in two halves on
    // first use: the structure definitions, and the terminology (under its own lock). They are
    // loaded side by side before anything is validated, since the first validation would read
    // them one after the other; then the first file is validated alone (it sets up the
    // validator's shared state) and the rest in parallel (the validator is thread-safe).
    CompletableFuture<Void> terminology = CompletableFuture.runAsync(
        () -> specification.fetchValueSet("http://hl7.org/fhir/ValueSet/publication-status"));
    specification.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Questionnaire");
    terminology.join();
    findings.addAll(validate(root, files.get(0)));
    findings.addAll(files.subList(1, files.size()).parallelStream()
        .flatMap(file -> validate(root, file).stream())
        .toList());
    return findings;
  }

  private List<Finding> validate(Path root, Path file) {
    String where = root.relativize(file).toString().replace('\\', '/');
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of(new Finding(Level.ERROR, where, "cannot be read: " + e.getMessage()));
    }
    List<Finding> findings = new ArrayList<>();
    ValidationResult result = validator.validateWithResult(forTheR4Check(json));
    for (SingleValidationMessage message : result.getMessages()) {
      if (message.getSeverity() == ResultSeverityEnum.ERROR || message.getSeverity() == ResultSeverityEnum.FATAL) {
        findings.add(new Finding(Level.ERROR, where + ": " + message.getLocationString(), message.getMessage()));
      }
    }
    return findings;
  }
}
