package org.prostateed.server;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Set;
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
  private final HandoutRenderer renderer = new HandoutRenderer();
  private final HandoutPersonalisation personalisation = new HandoutPersonalisation();
  private final Clock clock;

  HandoutResource(ContentLibrary library, boolean allowDraft, Clock clock) {
    this.library = library;
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
    String general = personalisation.personalise(handout.markdown(), new Answers(java.util.Map.of()), Set.of()).markdown();
    return Response.ok(renderer.page(handout, general, false), "text/html; charset=utf-8")
        .header("Content-Language", language)
        .build();
  }
}
