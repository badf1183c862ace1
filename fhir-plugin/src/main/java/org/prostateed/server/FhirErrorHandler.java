package org.prostateed.server;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Refusals that Jetty makes itself, before any FHIR code runs (an encoded "/" in the path is one),
 * answered under {@code /fhir} with an OperationOutcome as every other refusal there is. Elsewhere
 * Jetty's own answer stands. The body is labelled application/json (Jetty writes it), which FHIR
 * clients parse as they do application/fhir+json. The message is Jetty's reason, never the request.
 */
final class FhirErrorHandler extends ErrorHandler {

  private final FhirContext fhirContext;
  private final String fhirPath;

  FhirErrorHandler(FhirContext fhirContext, String fhirPath) {
    this.fhirContext = fhirContext;
    this.fhirPath = fhirPath;
  }

  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
      List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
    // Jetty writes the body itself; under /fhir it is JSON, written by writeErrorJson below.
    String type = underFhir(request) ? "application/json" : contentType;
    return super.generateAcceptableResponse(request, response, callback, type, charsets, code, message, cause);
  }

  @Override
  protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
    if (!underFhir(request)) {
      super.writeErrorJson(request, writer, code, message, cause);
      return;
    }
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(code >= 500 ? OperationOutcome.IssueType.EXCEPTION : OperationOutcome.IssueType.INVALID)
        .setDiagnostics("HTTP " + code + (message == null || message.isBlank() ? "" : ": " + message));
    writer.write(fhirContext.newJsonParser().encodeResourceToString(outcome));
  }

  private boolean underFhir(Request request) {
    String path = request.getHttpURI().getPath();
    return path != null && (path.equals(fhirPath) || path.startsWith(fhirPath + "/"));
  }
}
