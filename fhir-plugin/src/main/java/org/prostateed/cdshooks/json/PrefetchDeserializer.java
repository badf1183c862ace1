package org.prostateed.cdshooks.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * Reads one prefetch value as a JSON tree that keeps, of each resource, only the elements the
 * hook reads ({@link #ELEMENTS_READ}), whole, and of a Bundle entry only its resource. Everything
 * else (narrative, meta, names, extensions, links: most of a prefetch by size) is skipped by the
 * parser without being decoded or built into nodes. A value that is not an object is read whole,
 * for the hook to refuse.
 */
public final class PrefetchDeserializer extends StdDeserializer<JsonNode> {

  /**
   * The top-level elements of a resource that {@code ChartJson} and {@code EducationHooks} read.
   * A test reads every demo chart both ways and requires the same cards; an element read but
   * missing here would be seen as absent.
   */
  public static final Set<String> ELEMENTS_READ = Set.of(
      "resourceType", "id", "status", "code", "clinicalStatus", "verificationStatus", "recordedDate",
      "onsetDateTime", "encounter", "diagnosis", "valueQuantity", "effectiveDateTime", "effectivePeriod", "issued",
      "medicationCodeableConcept", "medicationReference", "authoredOn", "dateAsserted", "performedDateTime",
      "performedPeriod", "identifier", "context", "questionnaire", "entry");

  /** Jackson's own tree reader, for what is kept whole; looked up once, not on every element. */
  private static final JsonDeserializer<? extends JsonNode> WHOLE = JsonNodeDeserializer.getDeserializer(JsonNode.class);

  public PrefetchDeserializer() {
    super(JsonNode.class);
  }

  @Override
  public JsonNode deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    return resource(parser, context);
  }

  private static JsonNode resource(JsonParser parser, DeserializationContext context) throws IOException {
    if (!parser.hasToken(JsonToken.START_OBJECT)) {
      return WHOLE.deserialize(parser, context);
    }
    ObjectNode resource = context.getNodeFactory().objectNode();
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      if (!ELEMENTS_READ.contains(name)) {
        parser.skipChildren();
      } else if ("entry".equals(name)) {
        resource.set(name, entries(parser, context));
      } else {
        resource.set(name, WHOLE.deserialize(parser, context));
      }
    }
    return resource;
  }

  /** A Bundle's entries, each reduced to its resource. */
  private static JsonNode entries(JsonParser parser, DeserializationContext context) throws IOException {
    if (!parser.hasToken(JsonToken.START_ARRAY)) {
      return WHOLE.deserialize(parser, context);
    }
    ArrayNode entries = context.getNodeFactory().arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (!parser.hasToken(JsonToken.START_OBJECT)) {
        entries.add(WHOLE.deserialize(parser, context));
        continue;
      }
      ObjectNode entry = entries.addObject();
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        parser.nextToken();
        if ("resource".equals(name)) {
          entry.set(name, resource(parser, context));
        } else {
          parser.skipChildren();
        }
      }
    }
    return entries;
  }
}
