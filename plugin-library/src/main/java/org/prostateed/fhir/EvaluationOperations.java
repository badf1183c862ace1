package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/** The decision on a QuestionnaireResponse: {@code $evaluate}, on a sent or a stored response. */
public final class EvaluationOperations {

  private final FhirContext fhirContext;
  private final ResponseEvaluation evaluation;
  private final StoreAccess stores;

  EvaluationOperations(FhirContext fhirContext, ResponseEvaluation evaluation, StoreAccess stores) {
    this.fhirContext = fhirContext;
    this.evaluation = evaluation;
    this.stores = stores;
  }

  /** The decision on a QuestionnaireResponse sent in the body (as itself, or as Parameters {@code resource}). */
  @Operation(name = "$evaluate", type = QuestionnaireResponse.class, manualRequest = true)
  public Parameters evaluate(RequestDetails request) {
    return evaluation.evaluate(stores.asCaller(request), responseFromBody(request));
  }

  /** The decision on a stored QuestionnaireResponse. */
  @Operation(name = "$evaluate", type = QuestionnaireResponse.class, idempotent = true)
  public Parameters evaluateStored(@IdParam IdType responseId, RequestDetails request) {
    return evaluation.evaluateStored(stores.asCaller(request), responseId.getIdPart());
  }

  private QuestionnaireResponse responseFromBody(RequestDetails request) {
    IBaseResource resource = OperationBodies.parse(fhirContext, request, "a QuestionnaireResponse, or Parameters with a 'resource'");
    if (resource instanceof Parameters parameters) {
      Parameters.ParametersParameterComponent part = parameters.getParameter("resource");
      resource = part == null ? null : part.getResource();
    }
    if (!(resource instanceof QuestionnaireResponse response)) {
      throw Outcomes.invalid("the body must be a QuestionnaireResponse, or Parameters with a 'resource'");
    }
    return response;
  }
}
