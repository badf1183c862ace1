package org.prostateed.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;

/** SDC pre-fill: {@code $populate} on a Questionnaire, from the chart of an encounter's patient. */
public final class PrefillOperation {

  private final QuestionnairePrefill prefill;
  private final StoreAccess stores;

  PrefillOperation(QuestionnairePrefill prefill, StoreAccess stores) {
    this.prefill = prefill;
    this.stores = stores;
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
    return prefill.populate(stores.asCaller(request), questionnaireId.getIdPart(), subject.getReference(),
        encounter.substring("Encounter/".length()));
  }
}
