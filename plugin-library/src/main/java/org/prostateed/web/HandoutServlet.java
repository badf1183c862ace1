package org.prostateed.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;
import org.prostateed.content.HandoutVersion;
import org.prostateed.engine.Answers;
import org.prostateed.engine.HandoutChoice;
import org.prostateed.engine.HandoutPersonalisation;
import org.prostateed.handout.HandoutRenderer;

/**
 * {@code GET {mount}/{id}/{language}/{version}} ({@code /handouts/*} in the embedded server, where
 * the Infobutton links): the general (not personalised) text of a givable handout version. Versions
 * that may not be given are 404.
 */
public final class HandoutServlet extends HttpServlet {

  private final transient ContentLibrary library;
  private final transient HandoutChoice choice;
  private final transient HandoutRenderer renderer;
  private final transient HandoutPersonalisation personalisation = new HandoutPersonalisation();
  private final transient Clock clock;

  /** @param allowDraft demo mode: draft versions may be shown */
  public HandoutServlet(ContentLibrary library, boolean allowDraft, HandoutRenderer renderer, Clock clock) {
    this.library = library;
    this.renderer = renderer;
    this.choice = new HandoutChoice(library, allowDraft);
    this.clock = clock;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo();
    String[] parts = path == null || path.length() < 2 ? new String[0] : path.substring(1).split("/", -1);
    HandoutVersion handout = parts.length != 3 ? null : library.handout(parts[0], parts[1], parts[2])
        .filter(found -> choice.givable(found, LocalDate.now(clock)))
        .orElse(null);
    if (handout == null) {
      ServletAnswers.text(response, 404, "no such handout may be given");
      return;
    }
    String general = personalisation.personalise(handout.markdown(), generalAnswers(handout.id()), Set.of()).markdown();
    response.setHeader("Content-Language", handout.language());
    ServletAnswers.send(response, 200, "text/html; charset=utf-8",
        renderer.page(handout, general, false));
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
