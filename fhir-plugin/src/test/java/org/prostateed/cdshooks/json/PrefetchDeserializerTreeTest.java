package org.prostateed.cdshooks.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PrefetchDeserializer#whole} builds the kept elements' trees itself. Whatever it keeps
 * must be exactly the tree Jackson's own reader makes of the same JSON: node types included, as
 * the hook tells numbers from text and reads {@code valueQuantity.value} as a number.
 */
class PrefetchDeserializerTreeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyKindOfValueIsTheTreeJacksonReads() throws IOException {
    List<String> values = List.of(
        "{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"254900004\",\"display\":\"Prostate cancer\"}],"
            + "\"text\":\"Ca prostate\"}",
        "{\"value\":6.2,\"unit\":\"ng/mL\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"ng/mL\"}",
        "[0, -1, 2147483647, 2147483648, -9223372036854775808, 9223372036854775808, 1e3, -0.5, 1.0E-7]",
        "[true, false, null, \"\", \"caf\\u00e9 \\\"quoted\\\" \\\\ \\n\", \"\\ud83d\\ude00\"]",
        "{\"a\":{\"b\":{\"c\":[[],[{}],[[1]]]}},\"empty\":{},\"list\":[]}",
        "{\"same\":1,\"same\":\"last wins\"}",
        "\"a string alone\"", "42", "3.25", "true", "null");
    for (String value : values) {
      assertThat(whole(value)).as(value).isEqualTo(JSON.readTree(value));
      assertThat(whole(value).getNodeType()).as(value).isEqualTo(JSON.readTree(value).getNodeType());
    }
    // Equal nodes of different number types would pass isEqualTo for some Jackson versions; the
    // exact classes are checked too.
    JsonNode numbers = whole("[1, 2147483648, 9223372036854775808, 1.5]");
    JsonNode expected = JSON.readTree("[1, 2147483648, 9223372036854775808, 1.5]");
    for (int i = 0; i < expected.size(); i++) {
      assertThat(numbers.get(i).getClass()).isEqualTo(expected.get(i).getClass());
    }
  }

  @Test
  void jsonThatEndsInsideAValueIsRefused() {
    for (String truncated : List.of("{\"code\":{\"text\":\"x\"", "[1, 2", "{\"a\":[{\"b\":1}")) {
      assertThatThrownBy(() -> whole(truncated)).as(truncated).isInstanceOf(IOException.class);
    }
  }

  private static JsonNode whole(String json) throws IOException {
    try (JsonParser parser = JSON.getFactory().createParser(json)) {
      parser.nextToken();
      return PrefetchDeserializer.whole(parser, JsonNodeFactory.instance);
    }
  }
}
