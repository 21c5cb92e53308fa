package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;

/**
 * {@code levenshtein}: the output is within an edit distance of a reference, as in promptfoo.
 *
 * <p>The distance counts single-character insertions, deletions and substitutions, by Unicode code
 * point (so an emoji is one character). The reference is the assertion's value or, without one, the
 * test's expected answer. It passes when the distance is at most the threshold (default 5; unlike
 * promptfoo, a threshold of 0 means an exact match). The score is {@code 1 - distance / length of
 * the longer text} (1 when both are empty). Texts whose product of lengths exceeds {@value
 * #MAX_CELLS} are not compared; the assertion then fails, saying so.
 */
final class LevenshteinAssertion extends GradedAssertion {

  /** promptfoo's default maximum distance. */
  static final double DEFAULT_MAX_DISTANCE = 5;

  static final long MAX_CELLS = 100_000_000L;

  /** The reference from the assertion's value, or null to take the test's expected answer. */
  private final String fixedReference;

  private final double maxDistance;

  LevenshteinAssertion(Settings settings, String fixedReference, double maxDistance) {
    super(settings);
    this.fixedReference = fixedReference;
    this.maxDistance = maxDistance;
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String reference = fixedReference != null ? fixedReference : ctx.expected();
    if (reference == null) {
      return error(
          "Nothing to compare with: set 'value' on the assertion or 'expected' on the test case");
    }
    String output = ctx.output();
    int[] a = output.codePoints().toArray();
    int[] b = reference.codePoints().toArray();
    if ((long) a.length * b.length > MAX_CELLS) {
      return error(
          "Output and reference are too long to compare by edit distance ("
              + a.length
              + " × "
              + b.length
              + " characters)");
    }
    int distance = distance(a, b);
    int longer = Math.max(a.length, b.length);
    double score = longer == 0 ? 1.0 : 1.0 - (double) distance / longer;
    return graded(
        distance <= maxDistance,
        score,
        "Edit distance " + distance + " from " + quote(reference),
        "at most " + plain(maxDistance));
  }

  /** Returns the Levenshtein distance between two code point sequences. */
  static int distance(int[] a, int[] b) {
    // A shared prefix and suffix never change the distance, and trimming them makes near-equal
    // texts cheap.
    int start = 0;
    while (start < a.length && start < b.length && a[start] == b[start]) {
      start++;
    }
    int endA = a.length;
    int endB = b.length;
    while (endA > start && endB > start && a[endA - 1] == b[endB - 1]) {
      endA--;
      endB--;
    }
    // Keep one row, over the shorter text, of the classic dynamic programme.
    int[] rows = endA - start >= endB - start ? a : b;
    int[] cols = rows == a ? b : a;
    int rowStart = start;
    int rowEnd = rows == a ? endA : endB;
    int colEnd = rows == a ? endB : endA;
    int width = colEnd - start;
    int[] previous = new int[width + 1];
    for (int j = 0; j <= width; j++) {
      previous[j] = j;
    }
    for (int i = rowStart; i < rowEnd; i++) {
      int diagonal = previous[0];
      previous[0] = i - rowStart + 1;
      for (int j = 1; j <= width; j++) {
        int above = previous[j];
        int substitution = diagonal + (rows[i] == cols[start + j - 1] ? 0 : 1);
        previous[j] = Math.min(Math.min(above + 1, previous[j - 1] + 1), substitution);
        diagonal = above;
      }
    }
    return previous[width];
  }
}
