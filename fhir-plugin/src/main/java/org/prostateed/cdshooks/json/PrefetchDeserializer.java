package org.prostateed.cdshooks.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
      "performedPeriod", "identifier", "context", "questionnaire", "entry", "abatementDateTime", "abatementPeriod",
      "onsetPeriod", "dispenseRequest", "authored", "item");

  public PrefetchDeserializer() {
    super(JsonNode.class);
  }

  @Override
  public JsonNode deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    return resource(parser, context);
  }

  private static JsonNode resource(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNodeFactory nodes = context.getNodeFactory();
    if (!parser.hasToken(JsonToken.START_OBJECT)) {
      return whole(parser, nodes);
    }
    ObjectNode resource = nodes.objectNode();
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      if (!ELEMENTS_READ.contains(name)) {
        parser.skipChildren();
      } else if ("entry".equals(name)) {
        resource.set(name, entries(parser, context));
      } else {
        resource.set(name, whole(parser, nodes));
      }
    }
    return resource;
  }

  /** A Bundle's entries, each reduced to its resource. */
  private static JsonNode entries(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNodeFactory nodes = context.getNodeFactory();
    if (!parser.hasToken(JsonToken.START_ARRAY)) {
      return whole(parser, nodes);
    }
    ArrayNode entries = nodes.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (!parser.hasToken(JsonToken.START_OBJECT)) {
        entries.add(whole(parser, nodes));
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

  /**
   * The value at the parser as a tree, built straight from its tokens: the nodes Jackson's own tree
   * reader makes of JSON (integers as int, long or BigInteger, other numbers as double; the last of
   * repeated names wins), without that reader's set-up on every value, most of which are single
   * strings (bench/RESULTS.md: the full-prefetch hook 29 to 24 us in JMH, the reading 2 to 3 % less
   * inside the server). The parser's nesting limit bounds the depth.
   */
  static JsonNode whole(JsonParser parser, JsonNodeFactory nodes) throws IOException {
    switch (parser.currentTokenId()) {
      case JsonTokenId.ID_START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
          parser.nextToken();
          object.set(name, whole(parser, nodes));
        }
        if (!parser.hasToken(JsonToken.END_OBJECT)) {
          throw new JsonParseException(parser, "the JSON ends inside an object");
        }
        return object;
      }
      case JsonTokenId.ID_START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(whole(parser, nodes));
        }
        return array;
      }
      case JsonTokenId.ID_STRING -> {
        return nodes.textNode(parser.getText());
      }
      case JsonTokenId.ID_NUMBER_INT -> {
        return switch (parser.getNumberType()) {
          case INT -> nodes.numberNode(parser.getIntValue());
          case LONG -> nodes.numberNode(parser.getLongValue());
          default -> nodes.numberNode(parser.getBigIntegerValue());
        };
      }
      case JsonTokenId.ID_NUMBER_FLOAT -> {
        return nodes.numberNode(parser.getDoubleValue());
      }
      case JsonTokenId.ID_TRUE -> {
        return nodes.booleanNode(true);
      }
      case JsonTokenId.ID_FALSE -> {
        return nodes.booleanNode(false);
      }
      case JsonTokenId.ID_NULL -> {
        return nodes.nullNode();
      }
      default -> throw new JsonParseException(parser, "a JSON value was expected");
    }
  }
}
