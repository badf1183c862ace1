package org.prostateed.fhir;

import java.time.Clock;
import java.time.LocalDate;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.prostateed.chart.ChartQueries;
import org.prostateed.content.ContentLibrary;
import org.prostateed.engine.ContraindicationCheck;
import org.prostateed.engine.Decision;

/**
 * {@code $evaluate}: the decision on a response. When the response names its patient, the
 * patient's chart is read too (only what the absolute items' rules read), and an absolute
 * contraindication it holds outweighs the answer.
 */
final class ResponseEvaluation {

  private final ResponseReader responses;
  private final ContraindicationCheck check = new ContraindicationCheck();
  private final ChartCheck chartCheck;
  private final Clock clock;

  ResponseEvaluation(ContentLibrary library, ChartQueries queries, Clock clock) {
    this.responses = new ResponseReader(library);
    this.chartCheck = new ChartCheck(library, queries);
    this.clock = clock;
  }

  Parameters evaluate(FhirStore store, QuestionnaireResponse response) {
    ResponseReader.ReadResponse read = responses.read(response);
    String subject = response.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue();
    Decision decision = subject != null && subject.startsWith("Patient/")
        ? check.decide(read.questionnaire(), read.answers(),
            chartCheck.absoluteFindings(store, read.questionnaire(), subject, LocalDate.now(clock)))
        : check.decide(read.questionnaire(), read.answers());
    return DecisionParameters.toParameters(read.questionnaire().canonical(), decision, read.origins());
  }

  /** The decision on a stored response, read as the caller. */
  Parameters evaluateStored(FhirStore store, String responseId) {
    return evaluate(store, store.read(QuestionnaireResponse.class, responseId)
        .orElseThrow(() -> Outcomes.notFound("QuestionnaireResponse/" + responseId + " does not exist")));
  }
}
