package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.prostateed.content.Coded;

/**
 * The plugin's FHIR operations. Each method only converts the request, calls one use case with
 * the store as the caller ({@link StoreAccess#asCaller}) and returns its result; a use case's
 * {@link RequestProblem} becomes a 4xx with an OperationOutcome in {@link RequestProblems}.
 */
public final class EducationOperations {

  /** The use cases behind the operations, one per operation. */
  record UseCases(EncounterEducation education, ResponseEvaluation evaluation, QuestionnairePrefill prefill,
      HandoutPreview preview, HandoutGive give, TeachBack teachBack) {}

  private final FhirContext fhirContext;
  private final UseCases cases;
  private final StoreAccess stores;

  EducationOperations(FhirContext fhirContext, UseCases cases, StoreAccess stores) {
    this.fhirContext = fhirContext;
    this.cases = cases;
    this.stores = stores;
  }

  /** The names of these operations, read from their annotations, as HAPI names the operation of a request. */
  static Set<String> names() {
    return Arrays.stream(EducationOperations.class.getMethods())
        .map(method -> method.getAnnotation(Operation.class))
        .filter(Objects::nonNull)
        .map(Operation::name)
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * SDC {@code $populate}: Parameters {@code subject} (the Patient) and {@code context} (a part
   * {@code name} and a {@code content} reference to the Encounter); returns Parameters
   * {@code response} with the in-progress QuestionnaireResponse, pre-filled with evidence, and
   * {@code issues} when the chart could not be read whole.
   */
  @Operation(name = "$populate", type = Questionnaire.class)
  public Parameters populate(
      @IdParam IdType questionnaireId,
      @OperationParam(name = "subject", min = 1, max = 1) Reference subject,
      @OperationParam(name = "context") List<Parameters.ParametersParameterComponent> context,
      RequestDetails request) {
    if (subject == null || !FhirIds.isReference(subject.getReference(), "Patient")) {
      throw Outcomes.invalid("subject must be a reference Patient/<id>");
    }
    String encounter = (context == null ? List.<Parameters.ParametersParameterComponent>of() : context).stream()
        .flatMap(part -> part.getPart().stream())
        .filter(part -> "content".equals(part.getName()) && part.getValue() instanceof Reference)
        .map(part -> ((Reference) part.getValue()).getReference())
        .filter(reference -> FhirIds.isReference(reference, "Encounter"))
        .findFirst()
        .orElseThrow(() -> Outcomes.invalid("context must carry a 'content' reference Encounter/<id>"));
    return cases.prefill().populate(stores.asCaller(request), questionnaireId.getIdPart(), subject.getReference(),
        encounter.substring("Encounter/".length()));
  }

  /**
   * The handout as it would be given for a response that need not be stored yet: Parameters
   * {@code html}, {@code language}, {@code version}. Writes nothing.
   */
  @Operation(name = "$preview-education", type = Encounter.class, idempotent = false)
  public Parameters preview(
      @IdParam IdType encounterId,
      @OperationParam(name = "response", min = 1, max = 1) QuestionnaireResponse response,
      @OperationParam(name = "language", max = 1) CodeType language,
      @OperationParam(name = "acknowledge") List<StringType> acknowledge,
      @OperationParam(name = "largePrint", max = 1) BooleanType largePrint,
      RequestDetails request) {
    if (response == null) {
      throw Outcomes.invalid("response (a QuestionnaireResponse) is required");
    }
    HandoutPreview.Preview preview = cases.preview().preview(stores.asCaller(request), encounterId.getIdPart(),
        response, Optional.ofNullable(language).map(CodeType::getValue), acknowledged(acknowledge),
        largePrint != null && largePrint.booleanValue());
    Parameters out = new Parameters();
    out.addParameter().setName("html").setValue(new StringType(new String(preview.html(), StandardCharsets.UTF_8)));
    out.addParameter().setName("language").setValue(new CodeType(preview.handout().language()));
    out.addParameter().setName("version").setValue(new StringType(preview.handout().version()));
    out.addParameter().setName("title").setValue(new StringType(preview.handout().title()));
    return out;
  }

  /** Records whether the patient could say back the stop signs: {@code yes}, {@code partly} or {@code no}. */
  @Operation(name = "$record-teach-back", type = Encounter.class)
  public Observation recordTeachBack(
      HttpServletResponse servletResponse,
      @IdParam IdType encounterId,
      @OperationParam(name = "document", min = 1, max = 1) Reference document,
      @OperationParam(name = "result", min = 1, max = 1) CodeType result,
      @OperationParam(name = "practitioner", min = 1, max = 1) Reference practitioner,
      RequestDetails request) {
    Observation observation = cases.teachBack().record(stores.asCaller(request), encounterId.getIdPart(),
        document == null ? null : document.getReference(),
        result == null ? null : result.getValue(),
        practitioner == null ? null : practitioner.getReference());
    if (servletResponse != null) {
      servletResponse.setStatus(201);
    }
    return observation;
  }

  /** What the plugin knows about an encounter: diagnoses, items, Task, latest decision, given handouts. */
  @Operation(name = "$education", type = Encounter.class, idempotent = true)
  public Parameters education(@IdParam IdType encounterId, RequestDetails request) {
    if (request.getRequestType() == ca.uhn.fhir.rest.api.RequestTypeEnum.POST) {
      byte[] body = request.loadRequestContents();
      if (body != null && body.length > 0) {
        IBaseResource parsed = parseBody(request, "empty, or Parameters without parameters");
        if (!(parsed instanceof Parameters parameters) || parameters.hasParameter()) {
          throw Outcomes.invalid("$education takes no parameters");
        }
      }
    }
    return cases.education().education(stores.asCaller(request), encounterId.getIdPart());
  }

  /** The decision on a QuestionnaireResponse sent in the body (as itself, or as Parameters {@code resource}). */
  @Operation(name = "$evaluate", type = QuestionnaireResponse.class, manualRequest = true)
  public Parameters evaluate(RequestDetails request) {
    return cases.evaluation().evaluate(stores.asCaller(request), responseFromBody(request));
  }

  /** The decision on a stored QuestionnaireResponse. */
  @Operation(name = "$evaluate", type = QuestionnaireResponse.class, idempotent = true)
  public Parameters evaluateStored(@IdParam IdType responseId, RequestDetails request) {
    return cases.evaluation().evaluateStored(stores.asCaller(request), responseId.getIdPart());
  }

  /** Gives the handout: 201 with the DocumentReference, or the same record again on a repeat. */
  @Operation(name = "$give-education", type = Encounter.class)
  public DocumentReference give(
      HttpServletResponse servletResponse,
      @IdParam IdType encounterId,
      @OperationParam(name = "questionnaireResponse", min = 1, max = 1) Reference questionnaireResponse,
      @OperationParam(name = "handout", max = 1) StringType handout,
      @OperationParam(name = "language", max = 1) CodeType language,
      @OperationParam(name = "medium", min = 1, max = 1) CodeType medium,
      @OperationParam(name = "practitioner", min = 1, max = 1) Reference practitioner,
      @OperationParam(name = "acknowledge") List<StringType> acknowledge,
      @OperationParam(name = "ruledOut") List<Parameters.ParametersParameterComponent> ruledOut,
      @OperationParam(name = "largePrint", max = 1) BooleanType largePrint,
      RequestDetails request) {
    HandoutGive.Result result = cases.give().give(stores.asCaller(request), new HandoutGive.Request(
        encounterId.getIdPart(),
        questionnaireResponse == null ? null : questionnaireResponse.getReference(),
        Optional.ofNullable(handout).map(StringType::getValue),
        Optional.ofNullable(language).map(CodeType::getValue),
        medium == null ? null : medium.getValue(),
        practitioner == null ? null : practitioner.getReference(),
        acknowledged(acknowledge),
        ruledOut(ruledOut),
        largePrint != null && largePrint.booleanValue()));
    DocumentReference document = result.document();
    if (servletResponse != null) {
      // HAPI answers with the status already set on the servlet response.
      servletResponse.setStatus(result.created() ? 201 : 200);
      servletResponse.setHeader("Location", "DocumentReference/" + document.getIdElement().getIdPart());
    }
    return document;
  }

  /**
   * The exact bytes that were given ({@code format} html or pdf): the attachment stored on the
   * release, byte for byte, with its SHA-1 in the ETag and Digest headers.
   */
  @Operation(name = "$render", type = DocumentReference.class, idempotent = true, manualResponse = true)
  public void render(
      @IdParam IdType documentId,
      @OperationParam(name = "format", max = 1) StringType format,
      HttpServletResponse servletResponse,
      RequestDetails request) throws IOException {
    String wanted = format == null || format.isEmpty() ? "html" : format.getValue();
    String contentType = switch (wanted) {
      case "html" -> ReleaseRecords.HTML;
      case "pdf" -> ReleaseRecords.PDF;
      default -> throw Outcomes.invalid("format must be html or pdf, not '" + wanted + "'");
    };
    DocumentReference document = stores.asCaller(request).read(DocumentReference.class, documentId.getIdPart())
        .orElseThrow(() -> Outcomes.notFound("DocumentReference/" + documentId.getIdPart() + " does not exist"));
    if (document.getIdentifier().stream().noneMatch(id -> FhirIds.RELEASE_KEY.equals(id.getSystem()))) {
      throw Outcomes.unprocessable("DocumentReference/" + documentId.getIdPart() + " is not a handout given by this plugin");
    }
    Attachment attachment = document.getContent().stream()
        .map(DocumentReference.DocumentReferenceContentComponent::getAttachment)
        .filter(candidate -> contentType.equals(candidate.getContentType()))
        .findFirst()
        .orElseThrow(() -> Outcomes.unprocessable("DocumentReference/" + documentId.getIdPart() + " holds no " + wanted));
    byte[] bytes = attachment.getData();
    String sha1 = Base64.getEncoder().encodeToString(attachment.getHash());
    servletResponse.setStatus(200);
    servletResponse.setContentType(contentType);
    servletResponse.setContentLength(bytes.length);
    servletResponse.setHeader("ETag", "\"" + sha1 + "\"");
    servletResponse.setHeader("Digest", "SHA=" + sha1);
    servletResponse.setHeader("Content-Disposition", "inline; filename=\"handout-" + documentId.getIdPart() + "."
        + wanted + "\"");
    servletResponse.setHeader("Cache-Control", "no-store");
    servletResponse.getOutputStream().write(bytes);
    servletResponse.getOutputStream().flush();
  }

  private static Set<String> acknowledged(List<StringType> acknowledge) {
    Set<String> acknowledged = new LinkedHashSet<>();
    if (acknowledge != null) {
      acknowledge.stream().map(StringType::getValue).forEach(acknowledged::add);
    }
    return acknowledged;
  }

  /**
   * The {@code ruledOut} parameters: each has a part {@code item} (the linkId of an absolute item
   * answered "don't know") and a part {@code reason} (a Coding: what was done today to rule it out).
   */
  private static Map<String, Coded> ruledOut(List<Parameters.ParametersParameterComponent> parameters) {
    Map<String, Coded> ruledOut = new LinkedHashMap<>();
    for (Parameters.ParametersParameterComponent parameter : parameters == null
        ? List.<Parameters.ParametersParameterComponent>of() : parameters) {
      String item = parameter.getPart().stream().filter(part -> "item".equals(part.getName()))
          .map(part -> part.getValue() == null ? null : part.getValue().primitiveValue())
          .filter(Objects::nonNull).findFirst().orElse(null);
      Coding reason = parameter.getPart().stream().filter(part -> "reason".equals(part.getName()))
          .map(Parameters.ParametersParameterComponent::getValue)
          .filter(Coding.class::isInstance).map(Coding.class::cast).findFirst().orElse(null);
      if (item == null || reason == null || !reason.hasSystem() || !reason.hasCode()) {
        throw Outcomes.invalid("ruledOut needs a part 'item' (the linkId) and a part 'reason' (a Coding with system"
            + " and code)");
      }
      if (ruledOut.put(item, new Coded(reason.getSystem(), reason.getCode(), reason.getDisplay())) != null) {
        throw Outcomes.invalid("ruledOut: '" + item + "' is given twice");
      }
    }
    return ruledOut;
  }

  private QuestionnaireResponse responseFromBody(RequestDetails request) {
    IBaseResource resource = parseBody(request, "a QuestionnaireResponse, or Parameters with a 'resource'");
    if (resource instanceof Parameters parameters) {
      Parameters.ParametersParameterComponent part = parameters.getParameter("resource");
      resource = part == null ? null : part.getResource();
    }
    if (!(resource instanceof QuestionnaireResponse response)) {
      throw Outcomes.invalid("the body must be a QuestionnaireResponse, or Parameters with a 'resource'");
    }
    return response;
  }

  private IBaseResource parseBody(RequestDetails request, String expected) {
    byte[] body = request.loadRequestContents();
    if (body == null || body.length == 0) {
      throw Outcomes.invalid("the body must be " + expected);
    }
    EncodingEnum encoding = Optional.ofNullable(request.getHeader("Content-Type"))
        .map(EncodingEnum::forContentType)
        .orElse(EncodingEnum.JSON);
    try {
      return encoding.newParser(fhirContext).parseResource(new String(body, StandardCharsets.UTF_8));
    } catch (DataFormatException e) {
      throw Outcomes.invalid("the body is not a valid FHIR resource: " + e.getMessage());
    }
  }
}
