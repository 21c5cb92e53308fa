package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.domain.AssertionResult;
import dev.llmtestbench.evaluation.domain.EvaluationContext;
import java.util.List;

/**
 * {@code contains-any}, {@code contains-all}, {@code icontains-any} and {@code icontains-all}: the
 * output contains at least one, or every one, of several texts, with or without regard to case.
 */
final class TextListAssertion extends BaseAssertion {

  private final List<String> texts;
  private final boolean all;
  private final boolean ignoreCase;
  private final String listed;
  // Reasons depend only on which text decides, so every possible result is built once.
  private final AssertionResult[] decidedBy;
  private final AssertionResult undecided;

  /**
   * Creates the assertion.
   *
   * @param texts the texts, none empty
   * @param all true when every text must occur, false when one is enough
   * @param ignoreCase true to compare regardless of case (locale-independently)
   */
  TextListAssertion(Settings settings, List<String> texts, boolean all, boolean ignoreCase) {
    super(settings);
    this.texts = List.copyOf(texts);
    this.all = all;
    this.ignoreCase = ignoreCase;
    StringBuilder listed = new StringBuilder("[");
    for (String text : texts) {
      listed.append(listed.length() > 1 ? ", " : "").append(quote(text));
    }
    this.listed = listed.append(']') + (ignoreCase ? " (ignoring case)" : "");
    this.decidedBy = new AssertionResult[this.texts.size()];
    for (int i = 0; i < decidedBy.length; i++) {
      decidedBy[i] = build(this.texts.get(i));
    }
    this.undecided = build(null);
  }

  @Override
  public AssertionResult evaluate(EvaluationContext ctx) {
    String output = ctx.output();
    // The first text found (for "any") or missing (for "all") decides, and names the reason.
    for (int i = 0; i < decidedBy.length; i++) {
      String text = texts.get(i);
      boolean found = ignoreCase ? containsIgnoreCase(output, text) : output.contains(text);
      if (found != all) {
        return decidedBy[i];
      }
    }
    return undecided;
  }

  private AssertionResult build(String decisive) {
    boolean holds = all ? decisive == null : decisive != null;
    if (holds != negated) {
      return result(true, passReason(holds, decisive));
    }
    return result(false, failReason(holds, decisive));
  }

  private String passReason(boolean holds, String decisive) {
    if (all) {
      return holds
          ? "Output contains all of " + listed
          : "Output does not contain " + quote(decisive) + " of " + listed;
    }
    return holds
        ? "Output contains " + quote(decisive) + " of " + listed
        : "Output contains none of " + listed;
  }

  private String failReason(boolean holds, String decisive) {
    if (all) {
      return holds
          ? "Expected output not to contain all of " + listed
          : "Expected output to contain all of " + listed + "; missing " + quote(decisive);
    }
    return holds
        ? "Expected output to contain none of " + listed + "; found " + quote(decisive)
        : "Expected output to contain one of " + listed;
  }

  static boolean containsIgnoreCase(String text, String part) {
    // regionMatches compares char by char, locale-independently, without a lower-cased copy.
    int last = text.length() - part.length();
    for (int i = 0; i <= last; i++) {
      if (text.regionMatches(true, i, part, 0, part.length())) {
        return true;
      }
    }
    return false;
  }
}
