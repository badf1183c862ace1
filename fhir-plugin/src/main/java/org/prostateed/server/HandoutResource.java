package org.prostateed.server;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.prostateed.content.Coded;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.HandoutVersion;
import org.prostateed.engine.Answers;
import org.prostateed.engine.HandoutChoice;
import org.prostateed.engine.HandoutPersonalisation;
import org.prostateed.handout.HandoutRenderer;

/**
 * {@code GET /handouts/{id}/{language}/{version}}: the general (not personalised) text of a
 * givable handout version, as the Infobutton links to it. Versions that may not be given are 404.
 */
@Path("/handouts")
public final class HandoutResource {

  private final ContentLibrary library;
  private final HandoutChoice choice;
  private final HandoutRenderer renderer;
  private final HandoutPersonalisation personalisation = new HandoutPersonalisation();
  private final Clock clock;

  HandoutResource(ContentLibrary library, boolean allowDraft, HandoutRenderer renderer, Clock clock) {
    this.library = library;
    this.renderer = renderer;
    this.choice = new HandoutChoice(library, allowDraft);
    this.clock = clock;
  }

  @GET
  @Path("{id}/{language}/{version}")
  public Response handout(@PathParam("id") String id, @PathParam("language") String language,
      @PathParam("version") String version) {
    HandoutVersion handout = library.handout(id, language, version)
        .filter(found -> choice.givable(found, LocalDate.now(clock)))
        .orElse(null);
    if (handout == null) {
      return Response.status(404).type("text/plain").entity("no such handout may be given").build();
    }
    String general = personalisation.personalise(handout.markdown(), generalAnswers(id), Set.of()).markdown();
    return Response.ok(renderer.page(handout, general, false), "text/html; charset=utf-8")
        .header("Content-Language", language)
        .build();
  }

  /** The answers the catalog gives for the general text of this handout (who performs it, say). */
  private Answers generalAnswers(String handoutId) {
    Map<String, Coded> answers = new HashMap<>();
    for (EducationItem item : library.items()) {
      if (!item.handoutId().equals(handoutId)) {
        continue;
      }
      ContraindicationQuestionnaire questionnaire = library.questionnaire(item.questionnaireUrl());
      item.generalAnswers().forEach((linkId, code) -> questionnaire.item(linkId)
          .flatMap(question -> question.answerOptions().stream().filter(o -> o.code().equals(code)).findFirst())
          .ifPresent(option -> answers.put(linkId, option)));
    }
    return new Answers(answers);
  }
}
