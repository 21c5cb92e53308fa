package dev.llmtestbench.dataset.service;

import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.ApiException.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what is wrong with an imported file, each with where (row, line, column, key) and what
 * to fix, and warnings about what was ignored; {@link #throwIfAny} answers them as one 400.
 */
final class ImportProblems {

  private static final int MAX_REPORTED = 20;
  private final String format;
  private final List<Violation> violations = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  ImportProblems(String format) {
    this.format = format;
  }

  void add(String where, String message) {
    violations.add(new Violation(where, message));
  }

  void warn(String warning) {
    if (!warnings.contains(warning)) {
      warnings.add(warning);
    }
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }

  boolean isEmpty() {
    return violations.isEmpty();
  }

  /** A 400 at once for a problem that stops reading the file. */
  ApiException fatal(String where, String message) {
    add(where, message);
    return failure();
  }

  void throwIfAny() {
    if (!violations.isEmpty()) {
      throw failure();
    }
  }

  private ApiException failure() {
    Violation first = violations.get(0);
    return ApiException.badRequest(
        violations.size() == 1
            ? "The " + format + " import failed at " + first.field() + ": " + first.message()
            : violations.size() + " problems in the " + format + " import; see violations.",
        violations.size() > MAX_REPORTED ? violations.subList(0, MAX_REPORTED) : violations);
  }
}
