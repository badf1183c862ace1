package org.prostateed.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches the questionnaire Task when an encounter comes to qualify. While a request stores
 * Encounters and Conditions, it notes the encounters they touch; once the request has committed
 * and before the response goes out, it attaches the Tasks (an idempotent conditional create), so
 * the client sees the Task as soon as its write returns, and the clinical write itself is never
 * held up or rolled back by the plugin.
 *
 * <p>It acts as the plugin, not as the caller: the caller's write is already authorised and done,
 * and the Task is the plugin's own bookkeeping for it, which a clinician's rights need not cover.
 */
@Interceptor
public final class EducationTrigger {

  private static final Logger log = LoggerFactory.getLogger(EducationTrigger.class);
  private static final String TOUCHED = EducationTrigger.class.getName() + ".encounters";
  private static final String CONDITIONS = EducationTrigger.class.getName() + ".conditions";

  private final EncounterEducation education;
  private final FhirStore store;

  EducationTrigger(EncounterEducation education, FhirStore store) {
    this.education = education;
    this.store = store;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource, RequestDetails request) {
    note(resource, request);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource oldResource, IBaseResource newResource, RequestDetails request) {
    note(newResource, request);
  }

  @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
  public void completed(RequestDetails request) {
    Set<String> encounters = set(request, TOUCHED);
    for (String conditionId : set(request, CONDITIONS)) {
      for (Encounter encounter : store.search(Encounter.class, "diagnosis=Condition/" + conditionId)) {
        encounters.add(encounter.getIdElement().getIdPart());
      }
    }
    for (String encounterId : encounters) {
      try {
        int items = education.attach(store, encounterId);
        log.debug("Encounter/{} qualifies for {} education item(s)", encounterId, items);
      } catch (RuntimeException e) {
        log.warn("could not attach education to Encounter/{}: {}", encounterId, e.getClass().getSimpleName());
      }
    }
  }

  private static void note(IBaseResource resource, RequestDetails request) {
    if (request == null) {
      return;
    }
    if (resource instanceof Encounter encounter) {
      set(request, TOUCHED).add(encounter.getIdElement().getIdPart());
    } else if (resource instanceof Condition condition) {
      String encounter = condition.getEncounter().getReferenceElement().getIdPart();
      if (encounter != null && "Encounter".equals(condition.getEncounter().getReferenceElement().getResourceType())) {
        set(request, TOUCHED).add(encounter);
      }
      set(request, CONDITIONS).add(condition.getIdElement().getIdPart());
    }
  }

  @SuppressWarnings("unchecked")
  private static Set<String> set(RequestDetails request, String key) {
    return (Set<String>) request.getUserData().computeIfAbsent(key, k -> new LinkedHashSet<String>());
  }
}
