package org.prostateed.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;

/** {@code $record-teach-back}: whether the patient could say back the stop signs. */
public final class TeachBackOperation {

  private final TeachBack teachBack;
  private final StoreAccess stores;

  TeachBackOperation(TeachBack teachBack, StoreAccess stores) {
    this.teachBack = teachBack;
    this.stores = stores;
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
    Observation observation = teachBack.record(stores.asCaller(request), encounterId.getIdPart(),
        document == null ? null : document.getReference(),
        result == null ? null : result.getValue(),
        practitioner == null ? null : practitioner.getReference());
    if (servletResponse != null) {
      servletResponse.setStatus(201);
    }
    return observation;
  }
}
