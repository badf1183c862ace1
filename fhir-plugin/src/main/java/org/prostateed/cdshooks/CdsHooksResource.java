package org.prostateed.cdshooks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.prostateed.cdshooks.json.CdsRequestJson;
import org.prostateed.cdshooks.json.CdsResponseJson;
import org.prostateed.cdshooks.json.FeedbackJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CDS Hooks HTTP edge: parses, checks the EHR's JWT, calls {@link EducationHooks} once and maps
 * the result. Any JWT failure is a bare 401; missing data is a 412; a malformed call is a 400; a
 * request over {@link #MAX_REQUEST_BYTES} is a 413.
 * Requests, tokens and patient data are never logged.
 */
@Path("/cds-services")
@Produces(MediaType.APPLICATION_JSON)
public final class CdsHooksResource {

  private static final Logger log = LoggerFactory.getLogger(CdsHooksResource.class);

  /** The largest CDS request read; a prefetch of a long chart stays far below it. */
  static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;

  private final EducationHooks hooks;
  private final ObjectMapper json;
  private final ObjectReader requests;
  private final ObjectWriter responses;
  private final Optional<CdsJwtVerifier> verifier;
  private final Optional<String> publicBaseUrl;

  /**
   * @param verifier empty only when verification was switched off explicitly (demo)
   * @param publicBaseUrl the base URL EHRs use (behind a proxy), for the JWT audience
   */
  public CdsHooksResource(EducationHooks hooks, ObjectMapper json, Optional<CdsJwtVerifier> verifier,
      Optional<String> publicBaseUrl) {
    this.hooks = hooks;
    this.json = json;
    this.requests = json.copyWith(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(MAX_REQUEST_BYTES).build())
            .build())
        .readerFor(CdsRequestJson.class);
    this.responses = json.writerFor(CdsResponseJson.class);
    this.verifier = verifier;
    this.publicBaseUrl = publicBaseUrl;
  }

  @GET
  public Response discovery() throws JsonProcessingException {
    return Response.ok(json.writeValueAsString(hooks.discovery())).build();
  }

  @POST
  @Path("{id}")
  public Response call(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context UriInfo uri, InputStream body) throws JsonProcessingException {
    if (!hooks.knows(id)) {
      return error(404, "no CDS service '" + id + "'");
    }
    if (!trusted(authorization, serviceUrl(uri, id))) {
      return Response.status(401).build();
    }
    CdsRequestJson request;
    try {
      // Read from the stream, only once the caller is trusted: Jackson's UTF-8 parser, and no copy
      // of a prefetch-sized body.
      request = requests.readValue(body);
    } catch (IOException e) {
      return tooLarge(e)
          ? error(413, "the request is larger than " + MAX_REQUEST_BYTES / (1024 * 1024) + " MiB")
          : error(400, "the body is not a CDS Hooks request");
    }
    try {
      return Response.ok(responses.writeValueAsBytes(hooks.call(id, request))).build();
    } catch (EducationHooks.PrefetchUnavailable e) {
      log.info("CDS service {}: 412 ({})", id, e.getMessage());
      return error(412, e.getMessage());
    } catch (EducationHooks.BadHookRequest e) {
      return error(400, e.getMessage());
    }
  }

  @POST
  @Path("{id}/feedback")
  public Response feedback(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context UriInfo uri, String body) {
    if (!hooks.knows(id)) {
      return error(404, "no CDS service '" + id + "'");
    }
    if (!trusted(authorization, serviceUrl(uri, id))) {
      return Response.status(401).build();
    }
    try {
      int recorded = hooks.feedback(id, json.readValue(body == null ? "" : body, FeedbackJson.class));
      log.info("CDS service {}: {} feedback item(s) recorded", id, recorded);
      return Response.ok().build();
    } catch (JsonProcessingException e) {
      return error(400, "the body is not CDS Hooks feedback");
    } catch (EducationHooks.BadHookRequest e) {
      return error(400, e.getMessage());
    }
  }

  /** Jackson may wrap the parser's limit in a mapping exception, with the path where it stopped. */
  private static boolean tooLarge(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StreamConstraintsException) {
        return true;
      }
    }
    return false;
  }

  private boolean trusted(String authorization, String serviceUrl) {
    return verifier.map(v -> v.verify(authorization, serviceUrl).isPresent()).orElse(true);
  }

  /** The exact service URL the EHR called, which the JWT's {@code aud} must equal. */
  private String serviceUrl(UriInfo uri, String id) {
    String base = publicBaseUrl.orElseGet(() -> {
      String absolute = uri.getBaseUri().toString();
      return absolute.endsWith("/") ? absolute.substring(0, absolute.length() - 1) : absolute;
    });
    return base + "/cds-services/" + id;
  }

  private Response error(int status, String message) {
    try {
      return Response.status(status).type(MediaType.APPLICATION_JSON)
          .entity(json.writeValueAsString(Map.of("error", message))).build();
    } catch (JsonProcessingException e) {
      return Response.status(status).build();
    }
  }
}
