package org.prostateed.fhir;

import java.util.Map;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.prostateed.content.Coded;
import org.prostateed.engine.Decision;
import org.prostateed.engine.Evidence;
import org.prostateed.engine.Reason;

/**
 * Writes a decision as Parameters parts: {@code outcome} and one {@code reason} per finding, each
 * saying what is {@code needed} before the handout may be given ({@code none}, {@code answer},
 * {@code acknowledge}, {@code rule-out}), with the allowed {@code ruleOutReason} codings for
 * {@code rule-out}; and, for a response, one {@code answerOrigin} per answered item.
 */
final class DecisionParameters {

  private DecisionParameters() {}

  static Parameters toParameters(String questionnaireCanonical, Decision decision, Map<String, AnswerOrigin> origins) {
    Parameters parameters = new Parameters();
    parameters.addParameter().setName("outcome").setValue(new CodeType(decision.outcome().name()));
    parameters.addParameter().setName("questionnaire").setValue(new StringType(questionnaireCanonical));
    decision.reasons().forEach(reason -> fill(parameters.addParameter(), reason));
    // Where each answer came from: a pre-filled answer the clinician changed shows as 'override'.
    origins.forEach((linkId, origin) -> {
      ParametersParameterComponent part = parameters.addParameter().setName("answerOrigin");
      part.addPart().setName("linkId").setValue(new StringType(linkId));
      part.addPart().setName("source").setValue(new CodeType(origin.source()));
      origin.author().ifPresent(author -> part.addPart().setName("author").setValue(new Reference(author)));
    });
    return parameters;
  }

  /** Adds {@code outcome} and {@code reason} parts under a parent part. */
  static void addTo(ParametersParameterComponent parent, Decision decision) {
    parent.addPart().setName("outcome").setValue(new CodeType(decision.outcome().name()));
    decision.reasons().forEach(reason -> fill(parent.addPart(), reason));
  }

  private static void fill(ParametersParameterComponent part, Reason reason) {
    part.setName("reason");
    part.addPart().setName("linkId").setValue(new StringType(reason.linkId()));
    part.addPart().setName("severity").setValue(new CodeType(reason.severity().code()));
    part.addPart().setName("rationale").setValue(new StringType(reason.rationale()));
    part.addPart().setName("finding").setValue(new CodeType(reason.finding()));
    part.addPart().setName("raises").setValue(new CodeType(reason.raises().name()));
    part.addPart().setName("needed").setValue(new CodeType(reason.needed().code()));
    for (Coded option : reason.ruleOutReasons()) {
      part.addPart().setName("ruleOutReason").setValue(new Coding(option.system(), option.code(), option.display()));
    }
    for (Evidence evidence : reason.evidence()) {
      ParametersParameterComponent found = part.addPart().setName("evidence");
      found.addPart().setName("reference").setValue(new Reference(evidence.reference()));
      found.addPart().setName("code").setValue(new StringType(evidence.code()));
      if (evidence.display() != null) {
        found.addPart().setName("display").setValue(new StringType(evidence.display()));
      }
      if (evidence.date() != null) {
        found.addPart().setName("date").setValue(new StringType(evidence.date()));
      }
    }
  }
}
