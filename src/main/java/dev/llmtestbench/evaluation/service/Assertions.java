package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.evaluation.metrics.TextMetricAssertion;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Validates assertion specs and compiles them into reusable {@link Assertion}s. */
public final class Assertions {

  /** The supported types, each of which may also be prefixed with {@value #NEGATION}. */
  public static final List<String> TYPES =
      List.of(
          "equals",
          "contains",
          "icontains",
          "starts-with",
          "regex",
          "is-json",
          "latency",
          "numeric-answer",
          "rouge-n",
          "rouge-1",
          "rouge-2",
          "rouge-l",
          "bleu",
          "gleu",
          "meteor",
          "chrf",
          "perplexity",
          "perplexity-score");

  /** The prefix that inverts an assertion: it passes when the plain one would fail. */
  public static final String NEGATION = "not-";

  private static final String SUPPORTED =
      "Supported types: "
          + String.join(", ", TYPES)
          + "; prefix any of them with \""
          + NEGATION
          + "\" to negate it.";

  private Assertions() {}

  /**
   * Validates one spec and compiles it.
   *
   * @throws InvalidAssertionException if the spec cannot work, saying how to fix it
   */
  public static Assertion compile(AssertionSpec spec) {
    return compile(spec, 0);
  }

  /**
   * Validates and compiles a test's specs, in order; null is treated as no specs.
   *
   * @throws InvalidAssertionException for the first spec that cannot work, with its 1-based index
   */
  public static List<Assertion> compileAll(List<AssertionSpec> specs) {
    if (specs == null) {
      return List.of();
    }
    List<Assertion> compiled = new ArrayList<>(specs.size());
    for (AssertionSpec spec : specs) {
      compiled.add(compile(spec, compiled.size() + 1));
    }
    return List.copyOf(compiled);
  }

  private static Assertion compile(AssertionSpec spec, int index) {
    if (spec == null) {
      throw new InvalidAssertionException(index, null, "is empty. Give at least a 'type'.");
    }
    String type = spec.type();
    if (type == null || type.isBlank()) {
      throw new InvalidAssertionException(index, type, "'type' is missing. " + SUPPORTED);
    }
    boolean negated = type.startsWith(NEGATION);
    String baseType = negated ? type.substring(NEGATION.length()) : type;
    if (!TYPES.contains(baseType)) {
      throw new InvalidAssertionException(
          index, type, "unknown type \"" + type + "\". " + SUPPORTED);
    }
    Problems problems = new Problems(index, type);
    BaseAssertion.Settings settings =
        new BaseAssertion.Settings(
            type,
            negated,
            spec.metric() == null || spec.metric().isBlank() ? type : spec.metric(),
            weight(spec.weight(), problems),
            baseType.equals("latency") || baseType.equals("perplexity")
                ? 1.0
                : minScore(spec.threshold(), problems));
    String value = spec.value();
    switch (baseType) {
      case "equals":
        if (value == null) {
          return new EqualsExpectedAssertion(settings);
        }
        return new TextAssertion(
            settings,
            value::equals,
            "equal " + BaseAssertion.quote(value),
            "equals " + BaseAssertion.quote(value),
            "does not equal " + BaseAssertion.quote(value));
      case "contains":
        String text = required(value, "the text the output must contain", problems);
        return new TextAssertion(
            settings,
            output -> output.contains(text),
            "contain " + BaseAssertion.quote(text),
            "contains " + BaseAssertion.quote(text),
            "does not contain " + BaseAssertion.quote(text));
      case "icontains":
        String anyCase = required(value, "the text the output must contain", problems);
        return new TextAssertion(
            settings,
            output -> containsIgnoreCase(output, anyCase),
            "contain " + BaseAssertion.quote(anyCase) + " (ignoring case)",
            "contains " + BaseAssertion.quote(anyCase) + " (ignoring case)",
            "does not contain " + BaseAssertion.quote(anyCase) + " (ignoring case)");
      case "starts-with":
        String prefix = required(value, "the text the output must start with", problems);
        return new TextAssertion(
            settings,
            output -> output.startsWith(prefix),
            "start with " + BaseAssertion.quote(prefix),
            "starts with " + BaseAssertion.quote(prefix),
            "does not start with " + BaseAssertion.quote(prefix));
      case "regex":
        Pattern pattern = pattern(required(value, "the regular expression", problems), problems);
        String shown = "regex " + BaseAssertion.quote(value);
        return new TextAssertion(
            settings,
            output -> pattern.matcher(output).find(),
            "match " + shown,
            "matches " + shown,
            "does not match " + shown);
      case "is-json":
        if (value != null) {
          throw problems.of(
              "'value' is not supported: JSON Schema validation is not available yet."
                  + " Remove 'value' to check only that the output is valid JSON.");
        }
        return new JsonAssertion(settings);
      case "latency":
        return new LatencyAssertion(settings, maxMs(spec, problems));
      case "numeric-answer":
        return new NumericAnswerAssertion(settings, reference(value, problems));
      case "rouge-n",
      "rouge-1",
      "rouge-2",
      "rouge-l",
      "bleu",
      "gleu",
      "meteor",
      "chrf",
      "perplexity",
      "perplexity-score":
        return TextMetricAssertion.create(
            index, spec, baseType, negated, settings.metric(), settings.weight());
      default:
        throw new IllegalStateException("Type listed but not compiled: " + baseType);
    }
  }

  private static double weight(Double weight, Problems problems) {
    if (weight == null) {
      return 1.0;
    }
    if (!Double.isFinite(weight) || weight < 0) {
      throw problems.of(
          "weight "
              + weight
              + " is not allowed. Use a number of 0 or more (0 reports the result without"
              + " counting it in the score).");
    }
    return weight;
  }

  private static double minScore(Double threshold, Problems problems) {
    if (threshold == null) {
      return 1.0;
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw problems.of(
          "threshold "
              + threshold
              + " is out of range. It is the minimum score to pass, between 0 and 1.");
    }
    return threshold;
  }

  private static double maxMs(AssertionSpec spec, Problems problems) {
    Double threshold = spec.threshold();
    if (spec.value() != null) {
      throw problems.of(
          "'value' is not used. Put the maximum latency in milliseconds in 'threshold', e.g."
              + " \"threshold\": 2000.");
    }
    if (threshold == null) {
      throw problems.of(
          "'threshold' is required: the maximum latency in milliseconds, e.g."
              + " \"threshold\": 2000.");
    }
    if (!Double.isFinite(threshold) || threshold < 0) {
      throw problems.of(
          "threshold "
              + threshold
              + " is not a valid latency. Use the maximum latency in milliseconds, 0 or more.");
    }
    return threshold;
  }

  private static String required(String value, String meaning, Problems problems) {
    if (value == null || value.isEmpty()) {
      throw problems.of("'value' is required: " + meaning + ".");
    }
    return value;
  }

  private static Pattern pattern(String regex, Problems problems) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      // The full message spans several lines with a caret; description and index are enough.
      throw new InvalidAssertionException(
          problems.index,
          problems.type,
          "invalid regular expression "
              + BaseAssertion.quote(regex)
              + ": "
              + e.getDescription()
              + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "")
              + ". Fix the pattern.",
          e);
    }
  }

  private static String reference(String value, Problems problems) {
    if (value == null) {
      return null;
    }
    String reference = NumericAnswerAssertion.extract(value);
    if (reference == null) {
      throw problems.of(
          "value "
              + BaseAssertion.quote(value)
              + " has no number. Give the expected answer, e.g. \"72\" or \"#### 72\", or omit"
              + " 'value' to use the test's expected answer.");
    }
    return reference;
  }

  private static boolean containsIgnoreCase(String text, String part) {
    // regionMatches compares char by char, locale-independently, without a lower-cased copy.
    int last = text.length() - part.length();
    for (int i = 0; i <= last; i++) {
      if (text.regionMatches(true, i, part, 0, part.length())) {
        return true;
      }
    }
    return false;
  }

  /** Where problems are reported, so helpers need not pass index and type around separately. */
  private record Problems(int index, String type) {
    InvalidAssertionException of(String problem) {
      return new InvalidAssertionException(index, type, problem);
    }
  }
}
