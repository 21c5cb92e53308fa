package dev.llmtestbench.dataset.service;

import java.util.List;

/** Refuses or skips (with a warning) assertions of types that do not run here. */
final class Unsupported {

  private Unsupported() {}

  static void check(
      List<AssertionSyntax.Unsupported> found, ImportOptions o, ImportProblems problems) {
    if (found.isEmpty()) {
      return;
    }
    if (o.skipUnsupported()) {
      for (AssertionSyntax.Unsupported u : found) {
        problems.warn("Skipped unsupported assertion '" + u.type() + "' at " + u.where() + ".");
      }
      return;
    }
    String where =
        found.get(0).where() + (found.size() > 1 ? " and " + (found.size() - 1) + " more" : "");
    problems.add(where, AssertionSyntax.describe(found));
  }
}
