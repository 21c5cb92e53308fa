package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.EvaluationContext.ToolCallView;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tool-call-f1}: the F1 score between the tool names the model called and those expected,
 * after promptfoo's assertion of that name, but counting names as a multiset: calling a tool twice
 * when it was expected once lowers precision (promptfoo compares sets).
 *
 * <p>Precision is the share of calls that were expected, recall the share of expected calls made,
 * each matched call counting once ({@code min} of the two counts per name); F1 is their harmonic
 * mean, 0 when nothing matches or no call was made. The score is the F1; it passes when the F1 is
 * at least the threshold, by default 1 (exactly the expected calls, in any order). Only the calls'
 * names count, taken from the provider's structured tool calls, not from the output text.
 */
final class ToolCallF1Assertion extends GradedAssertion {

  private final List<String> expected;
  private final Map<String, Integer> expectedCounts;
  private final double minScore;
  private final String listed;

  private ToolCallF1Assertion(Settings settings, List<String> expected) {
    super(settings);
    this.expected = List.copyOf(expected);
    Map<String, Integer> counts = new HashMap<>();
    for (String name : expected) {
      counts.merge(name, 1, Integer::sum);
    }
    this.expectedCounts = Map.copyOf(counts);
    this.minScore = settings.minScore();
    this.listed = "[" + String.join(", ", expected) + "]";
  }

  /**
   * Creates the assertion from its value: a JSON array of tool names or {@code {"name": ...}}
   * objects, or comma-separated names.
   */
  static ToolCallF1Assertion of(
      Settings settings, String value, AssertionValues.Problems problems) {
    String meaning = "the names of the tools the model should call";
    List<String> names;
    if (value != null && value.strip().startsWith("[")) {
      JsonValue json = AssertionValues.json(value, "a JSON array of " + meaning, problems);
      if (!(json instanceof JsonArray array)) {
        throw problems.apply("'value' must be a JSON array of " + meaning + ".");
      }
      names = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        JsonValue item = array.get(i);
        if (item instanceof JsonObject object && object.get("name") instanceof JsonString name) {
          item = name;
        }
        if (!(item instanceof JsonString name) || name.getString().isBlank()) {
          throw problems.apply(
              "item "
                  + (i + 1)
                  + " of 'value' is not a tool name. List names, e.g. [\"get_weather\"], or"
                  + " objects with a name, e.g. [{\"name\": \"get_weather\"}].");
        }
        names.add(name.getString().strip());
      }
      if (names.isEmpty()) {
        throw problems.apply("'value' lists no tools. Give " + meaning + ".");
      }
    } else {
      names = AssertionValues.texts(value, meaning, problems);
    }
    return new ToolCallF1Assertion(settings, names);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    List<ToolCallView> calls = ctx.toolCalls();
    Map<String, Integer> remaining = new HashMap<>(expectedCounts);
    int matched = 0;
    StringBuilder called = new StringBuilder("[");
    for (ToolCallView call : calls) {
      String name = call.name() == null ? "" : call.name();
      called.append(called.length() > 1 ? ", " : "").append(name);
      Integer left = remaining.get(name);
      if (left != null && left > 0) {
        remaining.put(name, left - 1);
        matched++;
      }
    }
    double precision = calls.isEmpty() ? 0 : (double) matched / calls.size();
    double recall = (double) matched / expected.size();
    double f1 = matched == 0 ? 0 : 2 * precision * recall / (precision + recall);
    return graded(
        f1 >= minScore,
        f1,
        "Tool call F1 "
            + decimal(f1)
            + " (precision "
            + decimal(precision)
            + ", recall "
            + decimal(recall)
            + "); expected "
            + listed
            + ", called "
            + called.append(']'),
        "at least " + plain(minScore));
  }
}
