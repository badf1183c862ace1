package org.prostateed.fhir;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.prostateed.chart.ChartQueries;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.EducationItem;
import org.prostateed.content.HandoutVersion;
import org.prostateed.engine.HandoutPersonalisation;
import org.prostateed.handout.HandoutRenderer;

/**
 * {@code $preview-education}: what the patient would receive for these answers, rendered but not
 * stored, for the clinician to look at before giving. Nothing is written.
 */
final class HandoutPreview {

  /** A rendering of what would be given, and in which language and version. */
  record Preview(byte[] html, HandoutVersion handout) {}

  private final ChartQueries queries;
  private final ResponseReader responses;
  private final HandoutToGive handouts;
  private final HandoutPersonalisation personalisation = new HandoutPersonalisation();
  private final HandoutRenderer renderer;
  private final Clock clock;

  HandoutPreview(ContentLibrary library, ChartQueries queries, HandoutToGive handouts, HandoutRenderer renderer,
      Clock clock) {
    this.queries = queries;
    this.responses = new ResponseReader(library);
    this.handouts = handouts;
    this.renderer = renderer;
    this.clock = clock;
  }

  Preview preview(FhirStore store, String encounterId, QuestionnaireResponse response, Optional<String> language,
      Set<String> acknowledged, boolean largePrint) {
    ChartReader.EncounterChart encounter = new ChartReader(store, queries).load(encounterId);
    ResponseReader.ReadResponse read = responses.read(response);
    EducationItem item = handouts.items(encounter).stream()
        .filter(candidate -> candidate.questionnaireUrl().equals(read.questionnaire().url()))
        .findFirst()
        .orElseThrow(() -> Outcomes.unprocessable("the response does not answer this encounter's questionnaire"));
    HandoutVersion handout = handouts.chosen(store, item, language, encounter.patientReference(), LocalDate.now(clock));
    String markdown = personalisation.personalise(handout.markdown(), read.answers(), acknowledged).markdown();
    return new Preview(renderer.page(handout, markdown, largePrint), handout);
  }
}
