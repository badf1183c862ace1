package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StringType;

/** What the operations share in reading a request: a body HAPI does not bind, and the acknowledge strings. */
final class OperationBodies {

  private OperationBodies() {}

  static IBaseResource parse(FhirContext fhirContext, RequestDetails request, String expected) {
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

  static Set<String> acknowledged(List<StringType> acknowledge) {
    Set<String> acknowledged = new LinkedHashSet<>();
    if (acknowledge != null) {
      acknowledge.stream().map(StringType::getValue).forEach(acknowledged::add);
    }
    return acknowledged;
  }
}
