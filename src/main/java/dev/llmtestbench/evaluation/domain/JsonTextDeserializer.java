package dev.llmtestbench.evaluation.domain;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;

/**
 * Reads any JSON value into a string: a JSON string as its text, anything else (array, object,
 * number, boolean) as its JSON text. So {@code "value": ["a", "b"]} and {@code "value": "[\"a\",
 * \"b\"]"} configure an assertion alike, as users of promptfoo write them.
 */
public class JsonTextDeserializer implements JsonbDeserializer<String> {

  @Override
  public String deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
    JsonValue value = parser.getValue();
    return switch (value.getValueType()) {
      case NULL -> null;
      case STRING -> ((JsonString) value).getString();
      default -> value.toString();
    };
  }
}
