package org.prostateed.infobutton;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /infobutton}: the HL7 URL-based Infobutton endpoint. Passes the query parameters
 * (first value of each) to {@link InfobuttonResponder} and answers what it returns.
 */
@Path("/infobutton")
public final class InfobuttonResource {

  private final InfobuttonResponder responder;

  public InfobuttonResource(InfobuttonResponder responder) {
    this.responder = responder;
  }

  @GET
  public Response infobutton(@Context UriInfo uriInfo) {
    InfobuttonResponder.Response answer = responder.respond(firstValues(uriInfo.getQueryParameters()));
    return Response.status(answer.status()).type(answer.contentType()).entity(answer.body()).build();
  }

  private static Map<String, String> firstValues(MultivaluedMap<String, String> parameters) {
    Map<String, String> first = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      if (!parameter.getValue().isEmpty()) {
        first.put(parameter.getKey(), parameter.getValue().get(0));
      }
    }
    return first;
  }
}
