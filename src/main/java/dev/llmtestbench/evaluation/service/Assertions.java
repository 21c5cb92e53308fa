package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.Assertion;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.evaluation.metrics.SimilarAssertion;
import dev.llmtestbench.evaluation.metrics.TextMetricAssertion;
import dev.llmtestbench.evaluation.spi.AssertionTypeProvider;
import dev.llmtestbench.evaluation.spi.Scorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Validates assertion specs and compiles them into reusable {@link Assertion}s. */
public final class Assertions {

  /** The supported types, each of which may also be prefixed with {@value #NEGATION}. */
  public static final List<String> TYPES =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(
                  "equals",
                  "contains",
                  "icontains",
                  "contains-any",
                  "contains-all",
                  "icontains-any",
                  "icontains-all",
                  "starts-with",
                  "regex",
                  "is-json",
                  "contains-json",
                  "is-xml",
                  "contains-xml",
                  "is-html",
                  "contains-html",
                  "is-sql",
                  "word-count",
                  "levenshtein",
                  "exact-match",
                  "f1",
                  "multiple-choice",
                  "is-refusal",
                  "finish-reason",
                  "is-valid-openai-tools-call",
                  "tool-call-f1",
                  "cost",
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
                  "perplexity-score",
                  "similar",
                  "similar:cosine",
                  "similar:dot",
                  "similar:euclidean"),
              Judges.TYPES.stream())
          .toList();

  /** The prefix that inverts an assertion: it passes when the plain one would fail. */
  public static final String NEGATION = "not-";

  /** Types whose 'threshold' is a limit of their own (ms, edit distance, dollars), not a score. */
  // Types whose threshold is a limit in their own unit, not a minimum score between 0 and 1.
  private static final Set<String> LIMIT_THRESHOLDS =
      Set.of(
          "latency",
          "levenshtein",
          "cost",
          "perplexity",
          "similar",
          "similar:cosine",
          "similar:dot",
          "similar:euclidean");

  private static final String SUPPORTED =
      "Supported types: "
          + String.join(", ", TYPES)
          + "; prefix any of them with \""
          + NEGATION
          + "\" to negate it.";

  private Assertions() {}

  /** Whether a type (with or without negation) is graded by an LLM judge. */
  public static boolean isJudge(String type) {
    return type != null
        && Judges.TYPES.contains(
            type.startsWith(NEGATION) ? type.substring(NEGATION.length()) : type);
  }

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
    if (!TYPES.contains(baseType) && AssertionExtensions.find(baseType) == null) {
      throw new InvalidAssertionException(
          index,
          type,
          "unknown type \""
              + type
              + "\". "
              + SUPPORTED
              + (AssertionExtensions.types().isEmpty()
                  ? ""
                  : " Custom types: " + String.join(", ", AssertionExtensions.types()) + "."));
    }
    Problems problems = new Problems(index, type);
    BaseAssertion.Settings settings =
        new BaseAssertion.Settings(
            type,
            negated,
            spec.metric() == null || spec.metric().isBlank() ? type : spec.metric(),
            weight(spec.weight(), problems),
            LIMIT_THRESHOLDS.contains(baseType) ? 1.0 : minScore(spec.threshold(), problems));
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
        return new JsonAssertion(
            settings, value == null ? null : JsonSchemaSubset.compile(value, problems::of));
      case "contains-any":
      case "contains-all":
      case "icontains-any":
      case "icontains-all":
        return new TextListAssertion(
            settings,
            AssertionValues.texts(value, "the texts to look for in the output", problems::of),
            baseType.endsWith("-all"),
            baseType.startsWith("i"));
      case "contains-json":
        return new ContainsJsonAssertion(
            settings, value == null ? null : JsonSchemaSubset.compile(value, problems::of));
      case "is-xml":
      case "contains-xml":
        return new XmlAssertion(
            settings,
            baseType.equals("is-xml"),
            XmlAssertion.requiredElements(value, problems::of));
      case "is-html":
      case "contains-html":
        AssertionValues.none(value, "HTML is recognised by its tags alone.", problems::of);
        return new HtmlAssertion(settings, baseType.equals("is-html"));
      case "is-sql":
        AssertionValues.none(
            value,
            "is-sql makes a syntactic check only, without database dialects or allowed tables and"
                + " columns.",
            problems::of);
        return new SqlAssertion(settings);
      case "word-count":
        return WordCountAssertion.of(settings, value, problems::of);
      case "levenshtein":
        return new LevenshteinAssertion(
            settings,
            value,
            spec.threshold() == null
                ? LevenshteinAssertion.DEFAULT_MAX_DISTANCE
                : AssertionValues.limit(
                    spec.threshold(), "the largest edit distance that passes", problems::of));
      case "exact-match":
        return ExactMatchAssertion.of(settings, value, problems::of);
      case "f1":
        return new SquadF1Assertion(
            settings,
            value == null
                ? null
                : AssertionValues.references(value, "the reference answers", problems::of),
            spec.threshold() == null ? SquadF1Assertion.DEFAULT_MIN_SCORE : settings.minScore());
      case "multiple-choice":
        return MultipleChoiceAssertion.of(settings, value, problems::of);
      case "is-refusal":
        AssertionValues.none(value, "refusals are recognised by their wording.", problems::of);
        return new RefusalAssertion(settings);
      case "finish-reason":
        return FinishReasonAssertion.of(settings, value, problems::of);
      case "is-valid-openai-tools-call":
        return ToolCallsAssertion.of(settings, value, problems::of);
      case "tool-call-f1":
        return ToolCallF1Assertion.of(settings, value, problems::of);
      case "cost":
        AssertionValues.none(
            value,
            "put the maximum cost in US dollars in 'threshold', e.g. \"threshold\": 0.002.",
            problems::of);
        return new CostAssertion(
            settings,
            AssertionValues.limit(
                spec.threshold(),
                "the maximum cost in US dollars, e.g. \"threshold\": 0.002",
                problems::of));
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
      case "similar", "similar:cosine", "similar:dot", "similar:euclidean":
        return SimilarAssertion.create(
            index,
            spec,
            baseType,
            negated,
            settings.metric(),
            settings.weight(),
            value == null
                ? null
                : AssertionValues.references(value, "the reference texts", problems::of));
      default:
        if (Judges.TYPES.contains(baseType)) {
          return Judges.compile(baseType, settings, spec, problems::of);
        }
        AssertionTypeProvider custom = AssertionExtensions.find(baseType);
        if (custom == null) {
          throw new IllegalStateException("Type listed but not compiled: " + baseType);
        }
        return new ScorerAssertion(settings, custom(custom, baseType, spec, problems));
    }
  }

  private static Scorer custom(
      AssertionTypeProvider provider, String type, AssertionSpec spec, Problems problems) {
    Scorer scorer;
    try {
      scorer = provider.compile(type, spec);
    } catch (InvalidAssertionException e) {
      // The provider knows not where the spec sits in its list; say it once, with the position.
      String message = e.getMessage();
      int colon = message.indexOf(": ");
      throw problems.of(colon >= 0 ? message.substring(colon + 2) : message);
    }
    if (scorer == null) {
      throw new IllegalStateException(provider.getClass().getName() + " compiled no scorer");
    }
    return scorer;
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
