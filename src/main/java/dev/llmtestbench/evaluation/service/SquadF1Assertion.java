package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code f1}: the token-level F1 score between the output and a reference answer, as the official
 * SQuAD v1.1 evaluation script computes it, taking the best over several references.
 *
 * <p>Both texts are normalised by SQuAD's {@code normalize_answer}: lower-cased, ASCII punctuation
 * removed, the articles a, an and the removed, whitespace collapsed; then split on whitespace.
 * Precision is the share of the output's tokens shared with the reference, recall the share of the
 * reference's tokens shared with the output, counting repeated tokens at most as often as they
 * occur on both sides; F1 is their harmonic mean, and 0 when no token is shared (so also when
 * either text has no tokens left, as in v1.1; v2.0 would score two empty texts 1).
 *
 * <p>The references are the value, a single text or a JSON array of texts, or without a value the
 * test's expected answer. The score is the F1; it passes when the F1 is at least the threshold, by
 * default {@value #DEFAULT_MIN_SCORE}.
 */
final class SquadF1Assertion extends GradedAssertion {

  static final double DEFAULT_MIN_SCORE = 0.5;

  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  private static final Pattern ARTICLES =
      Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);

  /** The references' tokens, or null to take the test's expected answer. */
  private final List<List<String>> fixedReferences;

  private final List<String> shownReferences;
  private final double minScore;

  SquadF1Assertion(Settings settings, List<String> references, double minScore) {
    super(settings);
    if (references == null) {
      this.fixedReferences = null;
      this.shownReferences = null;
    } else {
      List<List<String>> tokens = new ArrayList<>(references.size());
      for (String reference : references) {
        tokens.add(tokens(reference));
      }
      this.fixedReferences = List.copyOf(tokens);
      this.shownReferences = List.copyOf(references);
    }
    this.minScore = minScore;
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    List<List<String>> references = fixedReferences;
    List<String> shown = shownReferences;
    if (references == null) {
      String expected = ctx.expected();
      if (expected == null) {
        return error(
            "Nothing to compare with: set 'value' on the assertion or 'expected' on the test case");
      }
      references = List.of(tokens(expected));
      shown = List.of(expected);
    }
    List<String> output = tokens(ctx.output());
    double best = -1;
    int bestIndex = 0;
    for (int i = 0; i < references.size(); i++) {
      double f1 = f1(output, references.get(i));
      if (f1 > best) {
        best = f1;
        bestIndex = i;
      }
    }
    String against =
        shown.size() == 1
            ? quote(shown.get(0))
            : "the best of " + shown.size() + " references, " + quote(shown.get(bestIndex));
    return graded(
        best >= minScore,
        best,
        "F1 " + decimal(best) + " against " + against,
        "at least " + plain(minScore));
  }

  /** Returns SQuAD v1.1's F1 between two token lists. */
  static double f1(List<String> prediction, List<String> reference) {
    Map<String, Integer> counts = new HashMap<>();
    for (String token : reference) {
      counts.merge(token, 1, Integer::sum);
    }
    int same = 0;
    for (String token : prediction) {
      Integer left = counts.get(token);
      if (left != null && left > 0) {
        counts.put(token, left - 1);
        same++;
      }
    }
    if (same == 0) {
      return 0;
    }
    double precision = (double) same / prediction.size();
    double recall = (double) same / reference.size();
    return 2 * precision * recall / (precision + recall);
  }

  /** Normalises a text as SQuAD's normalize_answer does and splits it into tokens. */
  static List<String> tokens(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder kept = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (PUNCTUATION.indexOf(c) < 0) {
        kept.append(c);
      }
    }
    String withoutArticles = ARTICLES.matcher(kept).replaceAll(" ");
    List<String> tokens = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= withoutArticles.length(); i++) {
      boolean space = i == withoutArticles.length() || isSpace(withoutArticles.charAt(i));
      if (space && start >= 0) {
        tokens.add(withoutArticles.substring(start, i));
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
    }
    return tokens;
  }

  /** Python's str.split() splits on these, including no-break spaces. */
  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }
}
