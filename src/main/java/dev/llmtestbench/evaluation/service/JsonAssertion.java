package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;

/** {@code is-json}: the whole output, apart from surrounding whitespace, is one JSON value. */
final class JsonAssertion extends BaseAssertion {

  private static final String VERB = "be valid JSON";
  private static final String FACT = "is valid JSON";

  private final AssertionResult whenValid;

  JsonAssertion(Settings settings) {
    super(settings);
    this.whenValid = outputResult(true, VERB, FACT, null);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String problem = problem(ctx.output());
    if (problem == null) {
      return whenValid;
    }
    return outputResult(false, VERB + ": " + problem, FACT, "is not valid JSON: " + problem);
  }

  /** Returns why the text is not a single JSON value, or null when it is one. */
  static String problem(String text) {
    if (text.isBlank()) {
      return "the output is empty";
    }
    // Streaming validates without building the tree; the parser itself skips JSON whitespace and
    // reports content after the first value as an error.
    try (JsonParser parser = Parsers.FACTORY.createParser(new StringReader(text))) {
      while (parser.hasNext()) {
        parser.next();
      }
      return null;
    } catch (RuntimeException e) {
      // Beyond JsonException, parsers throw plain runtime exceptions for hostile input such as
      // very deep nesting; for an assertion any of them just means "not valid JSON".
      return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
  }

  /** Looks the JSON-P provider up once, on first use, instead of on every parse. */
  private static final class Parsers {
    static final JsonParserFactory FACTORY = JsonProvider.provider().createParserFactory(Map.of());
  }
}
