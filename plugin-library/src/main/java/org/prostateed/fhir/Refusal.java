package org.prostateed.fhir;

import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Task;
import org.prostateed.engine.Decision;
import org.prostateed.engine.Evidence;
import org.prostateed.engine.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handout refused (CONTRAINDICATED or INCOMPLETE): the Task rejected with the reasons and the
 * refusal audited, in one transaction, and the problem the caller is told, one message per reason.
 */
final class Refusal {

  private static final Logger log = LoggerFactory.getLogger(Refusal.class);
  private static final int ATTEMPTS = 5;

  private final Clock clock;

  Refusal(Clock clock) {
    this.clock = clock;
  }

  /** Records the refusal and returns the problem to throw. */
  RequestProblem record(FhirStore store, Task task, Decision decision, String patient, String practitioner,
      String response) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Task current = attempt == 1 ? task : store.read(Task.class, task.getIdElement().getIdPart()).orElse(task);
      Date now = Date.from(clock.instant());
      Task rejected = current.copy();
      rejected.setStatus(Task.TaskStatus.REJECTED);
      rejected.setLastModified(now);
      rejected.setStatusReason(new CodeableConcept().setText(decision.outcome().name() + ": "
          + decision.decisiveReasons().stream().map(r -> r.linkId() + " (" + r.severity().code() + ")")
              .collect(Collectors.joining(", "))));
      Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
      TaskAttachment.addUpdate(bundle, rejected, current);
      bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
          .setResource(AuditEvents.refused(now, decision.outcome().name(), practitioner, patient, response,
              "Task/" + current.getIdElement().getIdPart()))
          .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
      try {
        store.transaction(bundle);
        log.info("handout refused on Task/{} ({})", current.getIdElement().getIdPart(), decision.outcome());
        break;
      } catch (ResourceVersionConflictException | PreconditionFailedException raced) {
        log.debug("refusal raced another write (attempt {})", attempt);
      }
    }
    return Outcomes.unprocessable(messages(decision));
  }

  private static List<String> messages(Decision decision) {
    List<String> messages = new ArrayList<>();
    messages.add(decision.outcome().name() + ": the handout may not be given");
    for (Reason reason : decision.decisiveReasons()) {
      messages.add(reason.linkId() + " (" + reason.severity().code() + ", " + reason.finding() + "): "
          + reason.rationale()
          + (reason.evidence().isEmpty() ? "" : " Chart: "
              + String.join("; ", reason.evidence().stream().map(Evidence::describe).toList())));
    }
    return messages;
  }
}
