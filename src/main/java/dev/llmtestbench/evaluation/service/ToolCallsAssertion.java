package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.EvaluationContext.ToolCallView;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code is-valid-openai-tools-call}: the model made at least one tool call, and every one has a
 * name and arguments that are a JSON object.
 *
 * <p>With a value, a JSON array of tool definitions in OpenAI's format ({@code {"type": "function",
 * "function": {"name": ..., "parameters": {...}}}}, or the Responses API's flat {@code {"type":
 * "function", "name": ..., "parameters": {...}}}), each call must also name a defined function and
 * give every argument its {@code parameters.required} lists. Tools of other types (e.g. {@code
 * web_search}) are ignored; argument types and other schema keywords are not checked.
 */
final class ToolCallsAssertion extends BaseAssertion {

  /** Each defined function's required arguments, in definition order; null without a value. */
  private final Map<String, List<String>> functions;

  private ToolCallsAssertion(Settings settings, Map<String, List<String>> functions) {
    super(settings);
    this.functions = functions;
  }

  /** Creates the assertion, reading the tool definitions in the value, if any. */
  static ToolCallsAssertion of(Settings settings, String value, AssertionValues.Problems problems) {
    if (value == null) {
      return new ToolCallsAssertion(settings, null);
    }
    String example =
        "[{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"parameters\":"
            + " {\"type\": \"object\", \"required\": [\"city\"]}}}]";
    JsonValue json = AssertionValues.json(value, "a JSON array of tool definitions", problems);
    if (!(json instanceof JsonArray tools)) {
      throw problems.apply("'value' must be a JSON array of tool definitions such as " + example);
    }
    Map<String, List<String>> functions = new LinkedHashMap<>();
    for (int i = 0; i < tools.size(); i++) {
      String tool = "tool " + (i + 1) + " of 'value'";
      if (!(tools.get(i) instanceof JsonObject definition)) {
        throw problems.apply(tool + " must be an object such as " + example);
      }
      JsonValue type = definition.get("type");
      if (type != null
          && !(type instanceof JsonString string && string.getString().equals("function"))) {
        continue;
      }
      JsonObject function =
          definition.get("function") instanceof JsonObject nested ? nested : definition;
      if (!(function.get("name") instanceof JsonString name) || name.getString().isBlank()) {
        throw problems.apply(tool + " has no function name. Give one, as in " + example);
      }
      if (functions.containsKey(name.getString())) {
        throw problems.apply(
            tool + " defines " + quote(name.getString()) + " again. Define each function once.");
      }
      functions.put(name.getString(), required(function.get("parameters"), tool, problems));
    }
    if (functions.isEmpty()) {
      throw problems.apply("'value' defines no function tools. Give them as in " + example);
    }
    return new ToolCallsAssertion(settings, Collections.unmodifiableMap(functions));
  }

  private static List<String> required(
      JsonValue parameters, String tool, AssertionValues.Problems problems) {
    if (parameters == null) {
      return List.of();
    }
    if (!(parameters instanceof JsonObject schema)) {
      throw problems.apply(tool + " has 'parameters' that are not a JSON Schema object.");
    }
    JsonValue required = schema.get("required");
    if (required == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    if (required instanceof JsonArray array) {
      for (JsonValue name : array) {
        if (name instanceof JsonString string) {
          names.add(string.getString());
        }
      }
      if (names.size() == array.size()) {
        return List.copyOf(names);
      }
    }
    throw problems.apply(tool + " has a 'required' that is not an array of argument names.");
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    List<ToolCallView> calls = ctx.toolCalls();
    String problem = calls.isEmpty() ? "the model made no tool calls" : null;
    for (int i = 0; i < calls.size() && problem == null; i++) {
      problem = problem(calls.get(i), i + 1);
    }
    String subject =
        calls.size() == 1 ? "the tool call is" : "all " + calls.size() + " tool calls are";
    if (problem == null) {
      return negated
          ? result(false, "Expected an invalid tool call, but " + subject + " valid")
          : result(
              true, Character.toUpperCase(subject.charAt(0)) + subject.substring(1) + " valid");
    }
    return negated
        ? result(true, "Tool calls are not valid: " + problem)
        : result(false, "Expected valid tool calls: " + problem);
  }

  private String problem(ToolCallView call, int number) {
    String name = call.name();
    if (name == null || name.isBlank()) {
      return "tool call " + number + " has no name";
    }
    String which = "tool call " + number + " (" + name + ")";
    List<String> required = null;
    if (functions != null) {
      required = functions.get(name);
      if (required == null) {
        return which
            + " names no defined function; defined: "
            + String.join(", ", functions.keySet());
      }
    }
    String arguments = call.arguments();
    if (arguments == null || arguments.isBlank()) {
      return which + " has no arguments; expected a JSON object such as {}";
    }
    JsonValue parsed;
    try {
      parsed = JsonSupport.parse(arguments);
    } catch (RuntimeException e) {
      return which + " has arguments that are not valid JSON: " + JsonSupport.message(e);
    }
    if (!(parsed instanceof JsonObject object)) {
      return which
          + " has arguments that are "
          + JsonSupport.describe(parsed)
          + ", not a JSON object";
    }
    if (required != null) {
      for (String argument : required) {
        if (!object.containsKey(argument)) {
          return which + " lacks the required argument " + quote(argument);
        }
      }
    }
    return null;
  }
}
