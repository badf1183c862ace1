package org.prostateed.it;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * A host's AuthorizationInterceptor as {@code docs/host-rights.md} describes it: a clinician may
 * use one patient's compartment, the plugin's operations, and the few rights the plugin needs
 * beyond the compartment; everything else is denied. The bearer token names who calls: {@code admin}
 * may do anything (the tests' own set-up and counting), {@code clinician-<patient id>} is a
 * clinician of that patient, anyone else nothing.
 */
public final class HostRules extends AuthorizationInterceptor {

  static final String ADMIN = "admin";

  /** Public and without arguments: a HAPI starter makes it from hapi.fhir.custom-interceptor-classes. */
  public HostRules() {
    super(PolicyEnum.DENY);
  }

  static String clinicianOf(String patientId) {
    return "clinician-" + patientId;
  }

  @Override
  public List<IAuthRule> buildRuleList(RequestDetails request) {
    String authorization = request.getHeader("Authorization");
    String token = authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
    if (ADMIN.equals(token)) {
      return new RuleBuilder().allowAll().build();
    }
    if (!token.startsWith("clinician-")) {
      return new RuleBuilder().denyAll("no caller").build();
    }
    IdType patient = new IdType("Patient", token.substring("clinician-".length()));
    IAuthRuleBuilder rules = new RuleBuilder()
        .allow().read().allResources().inCompartment("Patient", patient).andThen()
        .allow().write().allResources().inCompartment("Patient", patient).andThen()
        // Beyond the compartment, what the plugin reads and writes for the clinician:
        .allow().read().resourcesOfType("Practitioner").withAnyId().andThen()
        .allow().read().resourcesOfType("Questionnaire").withAnyId().andThen()
        .allow().read().resourcesOfType("Task").withAnyId().andThen()
        .allow().write().resourcesOfType("Task").withAnyId().andThen()
        .allow().write().resourcesOfType("Provenance").withAnyId().andThen()
        .allow().write().resourcesOfType("AuditEvent").withAnyId().andThen()
        .allow().transaction().withAnyOperation().andApplyNormalRules().andThen();
    for (String operation : List.of("$education", "$preview-education", "$give-education", "$record-teach-back")) {
      rules = rules.allow().operation().named(operation).onInstancesOfType(Encounter.class).andAllowAllResponses()
          .andThen();
    }
    return rules
        .allow().operation().named("$populate").onInstancesOfType(Questionnaire.class).andAllowAllResponses().andThen()
        .allow().operation().named("$evaluate").onType(QuestionnaireResponse.class).andAllowAllResponses().andThen()
        .allow().operation().named("$evaluate").onInstancesOfType(QuestionnaireResponse.class).andAllowAllResponses()
        .andThen()
        .allow().operation().named("$render").onInstancesOfType(DocumentReference.class).andAllowAllResponses().andThen()
        .denyAll("not this clinician's")
        .build();
  }
}
