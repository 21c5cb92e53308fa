package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;

/**
 * {@code is-json}: the whole output, apart from surrounding whitespace, is one JSON value and, when
 * the assertion has a schema, conforms to it (see {@link JsonSchemaSubset}).
 */
final class JsonAssertion extends BaseAssertion {

  private static final String VERB = "be valid JSON";
  private static final String FACT = "is valid JSON";

  /** The schema, or null to check only that the output is JSON. */
  private final JsonSchemaSubset schema;

  private final AssertionResult whenValid;

  JsonAssertion(Settings settings, JsonSchemaSubset schema) {
    super(settings);
    this.schema = schema;
    this.whenValid =
        schema == null
            ? outputResult(true, VERB, FACT, null)
            : outputResult(
                true,
                "be JSON that conforms to the schema",
                "is JSON that conforms to the schema",
                null);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String output = ctx.output();
    if (schema == null) {
      String problem = problem(output);
      if (problem == null) {
        return whenValid;
      }
      return outputResult(false, VERB + ": " + problem, FACT, "is not valid JSON: " + problem);
    }
    JsonValue value;
    try {
      value = output.isBlank() ? null : JsonSupport.parse(output);
    } catch (RuntimeException e) {
      String problem = JsonSupport.message(e);
      return outputResult(
          false,
          "be JSON that conforms to the schema, but it is not valid JSON: " + problem,
          null,
          "is not valid JSON: " + problem);
    }
    if (value == null) {
      return outputResult(
          false,
          "be JSON that conforms to the schema: the output is empty",
          null,
          "is not valid JSON: the output is empty");
    }
    String violation = schema.violation(value);
    if (violation == null) {
      return whenValid;
    }
    return outputResult(
        false,
        "conform to the schema: " + violation,
        null,
        "is JSON that does not conform to the schema: " + violation);
  }

  /** Returns why the text is not a single JSON value, or null when it is one. */
  static String problem(String text) {
    if (text.isBlank()) {
      return "the output is empty";
    }
    // Streaming validates without building the tree; the parser itself skips JSON whitespace and
    // reports content after the first value as an error.
    try (JsonParser parser = JsonSupport.Parsers.FACTORY.createParser(new StringReader(text))) {
      while (parser.hasNext()) {
        parser.next();
      }
      return null;
    } catch (RuntimeException e) {
      // Beyond JsonException, parsers throw plain runtime exceptions for hostile input such as
      // very deep nesting; for an assertion any of them just means "not valid JSON".
      return JsonSupport.message(e);
    }
  }
}
