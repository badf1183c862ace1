package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;

/** {@code $education}: what the plugin knows about an encounter. */
public final class EncounterEducationOperation {

  private final FhirContext fhirContext;
  private final EncounterEducation education;
  private final StoreAccess stores;

  EncounterEducationOperation(FhirContext fhirContext, EncounterEducation education, StoreAccess stores) {
    this.fhirContext = fhirContext;
    this.education = education;
    this.stores = stores;
  }

  /** What the plugin knows about an encounter: diagnoses, items, Task, latest decision, given handouts. */
  @Operation(name = "$education", type = Encounter.class, idempotent = true)
  public Parameters education(@IdParam IdType encounterId, RequestDetails request) {
    if (request.getRequestType() == ca.uhn.fhir.rest.api.RequestTypeEnum.POST) {
      byte[] body = request.loadRequestContents();
      if (body != null && body.length > 0) {
        IBaseResource parsed = OperationBodies.parse(fhirContext, request, "empty, or Parameters without parameters");
        if (!(parsed instanceof Parameters parameters) || parameters.hasParameter()) {
          throw Outcomes.invalid("$education takes no parameters");
        }
      }
    }
    return education.education(stores.asCaller(request), encounterId.getIdPart());
  }
}
