package org.prostateed.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.prostateed.content.Coded;

/** The handout: {@code $preview-education}, {@code $give-education} and {@code $render} of what was given. */
public final class HandoutOperations {

  private final HandoutPreview preview;
  private final HandoutGive give;
  private final StoreAccess stores;

  HandoutOperations(HandoutPreview preview, HandoutGive give, StoreAccess stores) {
    this.preview = preview;
    this.give = give;
    this.stores = stores;
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
    HandoutPreview.Preview shown = preview.preview(stores.asCaller(request), encounterId.getIdPart(),
        response, Optional.ofNullable(language).map(CodeType::getValue), OperationBodies.acknowledged(acknowledge),
        largePrint != null && largePrint.booleanValue());
    Parameters out = new Parameters();
    out.addParameter().setName("html").setValue(new StringType(new String(shown.html(), StandardCharsets.UTF_8)));
    out.addParameter().setName("language").setValue(new CodeType(shown.handout().language()));
    out.addParameter().setName("version").setValue(new StringType(shown.handout().version()));
    out.addParameter().setName("title").setValue(new StringType(shown.handout().title()));
    return out;
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
    HandoutGive.Result result = give.give(stores.asCaller(request), new HandoutGive.Request(
        encounterId.getIdPart(),
        questionnaireResponse == null ? null : questionnaireResponse.getReference(),
        Optional.ofNullable(handout).map(StringType::getValue),
        Optional.ofNullable(language).map(CodeType::getValue),
        medium == null ? null : medium.getValue(),
        practitioner == null ? null : practitioner.getReference(),
        OperationBodies.acknowledged(acknowledge),
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
}
