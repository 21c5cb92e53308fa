package dev.llmtestbench.provider.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonTemplateTest {

  private static final Set<String> KNOWN = HttpProviderSettings.BODY_PLACEHOLDERS;

  @Test
  void shouldReplaceBarePlaceholdersWithJsonValuesOfEveryType() {
    JsonTemplate template =
        JsonTemplate.parse(
            "{\"q\": {{prompt}}, \"t\": {{ temperature }}, \"n\": {{max_tokens}},"
                + " \"h\": [{{messages}}], \"m\": {{model}}}",
            KNOWN,
            "body");

    JsonValue rendered =
        template.render(
            Map.of(
                "prompt", Json.createValue("He said \"hi\"\n\u00e9"),
                "temperature", Json.createValue(0.7),
                "max_tokens", Json.createValue(64),
                "messages", json("[{\"role\":\"user\",\"content\":\"x\"}]")));

    assertEquals(
        json(
            "{\"q\":\"He said \\\"hi\\\"\\n\u00e9\",\"t\":0.7,\"n\":64,"
                + "\"h\":[[{\"role\":\"user\",\"content\":\"x\"}]],\"m\":null}"),
        rendered);
    assertEquals(
        Set.of("prompt", "temperature", "max_tokens", "messages", "model"),
        template.placeholders());
  }

  @Test
  void shouldRenderPlaceholdersInsideStringsAsTextAndKeepKeysLiteral() {
    JsonTemplate template =
        JsonTemplate.parse(
            "{\"{{model}}\": \"Q: {{prompt}} (t={{temperature}}, n={{max_tokens}})\","
                + " \"sys\": \"{{system}}\"}",
            KNOWN,
            "body");

    JsonValue rendered =
        template.render(
            Map.of(
                "model", Json.createValue("m1"),
                "prompt", Json.createValue("2+2?"),
                "temperature", JsonValue.NULL,
                "max_tokens", Json.createValue(5),
                "system", Json.createValue("Be brief.")));

    assertEquals(json("{\"{{model}}\":\"Q: 2+2? (t=, n=5)\",\"sys\":\"Be brief.\"}"), rendered);
  }

  @Test
  void shouldNeverLetAValueBreakOutOfItsPlaceOrBeRenderedAgain() {
    JsonTemplate template =
        JsonTemplate.parse("{\"prompt\": {{prompt}}, \"note\": \"> {{prompt}}\"}", KNOWN, "body");
    String hostile = "\", \"admin\": true, \"x\": \"{{model}}";

    JsonValue rendered =
        template.render(
            Map.of("prompt", Json.createValue(hostile), "model", Json.createValue("m")));

    assertEquals(Set.of("prompt", "note"), rendered.asJsonObject().keySet());
    assertEquals(hostile, rendered.asJsonObject().getString("prompt"));
    assertEquals("> " + hostile, rendered.asJsonObject().getString("note"));
  }

  @Test
  void shouldFindBarePlaceholdersAfterEscapedQuotesAndBracesInStrings() {
    JsonTemplate template =
        JsonTemplate.parse("{\"a\": \"say \\\"{{\\\" and }}\", \"b\": {{prompt}}}", KNOWN, "body");

    JsonValue rendered = template.render(Map.of("prompt", Json.createValue("p")));

    assertEquals(json("{\"a\":\"say \\\"{{\\\" and }}\",\"b\":\"p\"}"), rendered);
  }

  @Test
  void shouldAcceptATemplateThatIsOnlyAPlaceholder() {
    JsonValue rendered =
        JsonTemplate.parse("{{messages}}", KNOWN, "body")
            .render(Map.of("messages", json("[{\"role\":\"user\",\"content\":\"x\"}]")));

    assertEquals(json("[{\"role\":\"user\",\"content\":\"x\"}]"), rendered);
  }

  @Test
  void shouldRejectBrokenTemplatesNamingTheSetting() {
    IllegalArgumentException notJson =
        assertThrows(
            IllegalArgumentException.class,
            () -> JsonTemplate.parse("{\"prompt\": {{prompt}},}", KNOWN, "body"));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> JsonTemplate.parse("{\"q\": \"{{question}}\"}", KNOWN, "body"));
    IllegalArgumentException malformed =
        assertThrows(
            IllegalArgumentException.class,
            () -> JsonTemplate.parse("{\"q\": {{ pro mpt }}}", KNOWN, "body"));

    assertTrue(
        notJson.getMessage().startsWith("body is not a JSON template"), notJson.getMessage());
    assertTrue(
        unknown.getMessage().startsWith("body uses unknown placeholder {{question}}"),
        unknown.getMessage());
    assertTrue(
        malformed.getMessage().startsWith("body has a malformed placeholder"),
        malformed.getMessage());
  }

  private static JsonValue json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }
}
