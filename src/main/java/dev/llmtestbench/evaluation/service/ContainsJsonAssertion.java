package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;

/**
 * {@code contains-json}: a JSON object or array appears somewhere in the output, e.g. in a {@code
 * ```json} fence or after some prose, and, when the assertion has a schema, one that conforms to it
 * (see {@link JsonSchemaSubset}).
 *
 * <p>The output is scanned from the start: at each {@code {} or {@code [} a JSON value is read; a
 * value found is checked as a whole (values nested in it are not tried separately) and the scan
 * resumes after it; where no value can be read, the scan resumes at the next character. Scalars
 * such as {@code 42} do not count, but any array does, even a citation mark like {@code [1]}.
 * Malformed input costs at most a fixed multiple of the output's length to scan; beyond that the
 * assertion fails, saying so.
 */
final class ContainsJsonAssertion extends BaseAssertion {

  private static final String PLAIN = "contain JSON";
  private static final String CONFORMING = "contain JSON that conforms to the schema";
  private static final int BUDGET_PER_CHAR = 16;
  private static final int MIN_BUDGET = 1 << 16;

  /** The schema, or null to check only that the output contains JSON. */
  private final JsonSchemaSubset schema;

  private final AssertionResult whenFound;
  private final AssertionResult whenNoneFound;

  ContainsJsonAssertion(Settings settings, JsonSchemaSubset schema) {
    super(settings);
    this.schema = schema;
    String verb = schema == null ? PLAIN : CONFORMING;
    String fact = schema == null ? "contains JSON" : "contains JSON that conforms to the schema";
    this.whenFound = outputResult(true, verb, fact, null);
    this.whenNoneFound =
        outputResult(
            false, verb + ": it has no JSON object or array", null, "has no JSON object or array");
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String output = ctx.output();
    long budget = Math.max(MIN_BUDGET, (long) BUDGET_PER_CHAR * output.length());
    String firstViolation = null;
    int i = 0;
    while (i < output.length()) {
      char c = output.charAt(i);
      if (c != '{' && c != '[') {
        i++;
        continue;
      }
      JsonSupport.Found found = JsonSupport.parseAt(output, i);
      if (found.value() == null) {
        budget -= found.end() - i;
        if (budget < 0) {
          return error(
              "Gave up looking for JSON: the output has too much malformed JSON-like text to scan");
        }
        i++;
        continue;
      }
      if (schema == null) {
        return whenFound;
      }
      String violation = schema.violation(found.value());
      if (violation == null) {
        return whenFound;
      }
      firstViolation = firstViolation == null ? violation : firstViolation;
      i = found.end();
    }
    if (firstViolation == null) {
      return whenNoneFound;
    }
    return outputResult(
        false,
        CONFORMING + ", but none does; the first found: " + firstViolation,
        null,
        "contains no JSON that conforms to the schema; the first found: " + firstViolation);
  }
}
