package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code exact-match}: the output equals the test's expected answer after the normalisations of
 * lm-evaluation-harness's {@code exact_match} metric, which is Hugging Face evaluate's {@code
 * exact_match}.
 *
 * <p>Options come as a JSON object in the value, all optional: {@code regexes_to_ignore} (every
 * match of each regular expression, in order, is removed from both texts), then {@code ignore_case}
 * (both lower-cased), {@code ignore_punctuation} (ASCII punctuation, Python's {@code
 * string.punctuation}, removed) and {@code ignore_numbers} (digits 0-9 removed); nothing else is
 * trimmed or collapsed. Before that, {@code filter} may extract the answer from the output as
 * lm-eval's GSM8K task does: {@code "strict-match"} takes the first number after {@code "#### "},
 * {@code "flexible-extract"} the last number; when nothing matches, the answer is lm-eval's {@code
 * "[invalid]"}, which matches no reference. So lm-eval's GSM8K scoring is {@code {"filter":
 * "strict-match", "ignore_case": true, "regexes_to_ignore": [",", "\\$", "(?s).*#### ", "\\.$"]}}.
 * Regular expressions are Java's, which for such patterns behave as Python's.
 */
final class ExactMatchAssertion extends BaseAssertion {

  static final Set<String> OPTIONS =
      Set.of("ignore_case", "ignore_punctuation", "ignore_numbers", "regexes_to_ignore", "filter");

  private static final String INVALID = "[invalid]";
  private static final Pattern STRICT = Pattern.compile("#### (\\-?[0-9\\.\\,]+)");
  private static final Pattern FLEXIBLE = Pattern.compile("(-?[$0-9.,]{2,})|(-?[0-9]+)");
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  /** The filters of lm-eval's GSM8K task. */
  enum Filter {
    NONE,
    STRICT_MATCH,
    FLEXIBLE_EXTRACT
  }

  private final List<Pattern> ignored;
  private final boolean ignoreCase;
  private final boolean ignorePunctuation;
  private final boolean ignoreNumbers;
  private final Filter filter;

  private ExactMatchAssertion(
      Settings settings,
      List<Pattern> ignored,
      boolean ignoreCase,
      boolean ignorePunctuation,
      boolean ignoreNumbers,
      Filter filter) {
    super(settings);
    this.ignored = List.copyOf(ignored);
    this.ignoreCase = ignoreCase;
    this.ignorePunctuation = ignorePunctuation;
    this.ignoreNumbers = ignoreNumbers;
    this.filter = filter;
  }

  /** Creates the assertion from its options; without a value, it is a plain exact match. */
  static ExactMatchAssertion of(
      Settings settings, String value, AssertionValues.Problems problems) {
    if (value == null) {
      return new ExactMatchAssertion(settings, List.of(), false, false, false, Filter.NONE);
    }
    JsonObject options =
        AssertionValues.jsonObject(
            value,
            OPTIONS,
            "{\"ignore_case\": true, \"ignore_punctuation\": true} (the reference is the test's"
                + " expected answer)",
            problems);
    return new ExactMatchAssertion(
        settings,
        regexes(options.get("regexes_to_ignore"), problems),
        AssertionValues.flag(options, "ignore_case", problems),
        AssertionValues.flag(options, "ignore_punctuation", problems),
        AssertionValues.flag(options, "ignore_numbers", problems),
        filter(options.get("filter"), problems));
  }

  private static List<Pattern> regexes(JsonValue value, AssertionValues.Problems problems) {
    if (value == null || JsonSupport.is(value, JsonValue.ValueType.NULL)) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw problems.apply("'regexes_to_ignore' must be an array of regular expressions.");
    }
    List<Pattern> patterns = new ArrayList<>(array.size());
    for (JsonValue item : array) {
      if (!(item instanceof JsonString regex)) {
        throw problems.apply(
            "'regexes_to_ignore' must list regular expressions as strings, not "
                + JsonSupport.describe(item)
                + ".");
      }
      try {
        patterns.add(Pattern.compile(regex.getString()));
      } catch (PatternSyntaxException e) {
        throw problems.apply(
            "'regexes_to_ignore' has the invalid regular expression "
                + quote(regex.getString())
                + ": "
                + e.getDescription()
                + ". Fix the pattern.");
      }
    }
    return patterns;
  }

  private static Filter filter(JsonValue value, AssertionValues.Problems problems) {
    if (value == null || JsonSupport.is(value, JsonValue.ValueType.NULL)) {
      return Filter.NONE;
    }
    if (value instanceof JsonString name) {
      switch (name.getString()) {
        case "none":
          return Filter.NONE;
        case "strict-match":
          return Filter.STRICT_MATCH;
        case "flexible-extract":
          return Filter.FLEXIBLE_EXTRACT;
        default:
          break;
      }
    }
    throw problems.apply(
        "'filter' must be \"strict-match\", \"flexible-extract\" or null, not "
            + JsonSupport.describe(value)
            + ".");
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String expected = ctx.expected();
    if (expected == null) {
      return error("Nothing to compare with: set 'expected' on the test case");
    }
    String extracted = extract(ctx.output());
    String answer = normalise(extracted == null ? INVALID : extracted);
    String reference = normalise(expected);
    boolean equal = answer.equals(reference);
    String got =
        extracted == null
            ? quote(INVALID) + " (the " + filterName() + " filter found no answer)"
            : quote(answer);
    if (equal != negated) {
      return result(
          true,
          equal
              ? "Answer " + got + " matches the expected " + quote(reference)
              : "Answer " + got + " differs from " + quote(reference));
    }
    return result(
        false,
        equal
            ? "Expected an answer other than " + quote(reference) + ", got " + got
            : "Expected answer " + quote(reference) + ", got " + got);
  }

  private String filterName() {
    return filter == Filter.STRICT_MATCH ? "strict-match" : "flexible-extract";
  }

  /** Applies the filter; returns null when it finds no answer. */
  private String extract(String output) {
    switch (filter) {
      case STRICT_MATCH:
        Matcher strict = STRICT.matcher(output);
        return strict.find() ? strict.group(1).strip() : null;
      case FLEXIBLE_EXTRACT:
        Matcher flexible = FLEXIBLE.matcher(output);
        String last = null;
        while (flexible.find()) {
          last = flexible.group(1) != null ? flexible.group(1) : flexible.group(2);
        }
        return last == null ? null : last.strip();
      default:
        return output;
    }
  }

  /** Normalises a text as Hugging Face evaluate's exact_match does, in the same order. */
  String normalise(String text) {
    String normalised = text;
    for (Pattern pattern : ignored) {
      normalised = pattern.matcher(normalised).replaceAll("");
    }
    if (ignoreCase) {
      normalised = normalised.toLowerCase(Locale.ROOT);
    }
    if (ignorePunctuation || ignoreNumbers) {
      StringBuilder kept = new StringBuilder(normalised.length());
      for (int i = 0; i < normalised.length(); i++) {
        char c = normalised.charAt(i);
        boolean drop =
            (ignorePunctuation && PUNCTUATION.indexOf(c) >= 0)
                || (ignoreNumbers && c >= '0' && c <= '9');
        if (!drop) {
          kept.append(c);
        }
      }
      normalised = kept.toString();
    }
    return normalised;
  }
}
