package dev.llmtestbench.benchmark.export;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.evaluation.domain.AssertionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the report formats say about one result. */
final class Texts {

  private Texts() {}

  /** "metric (type): reason" for each failed assertion, in the order they ran. */
  static List<String> failedAssertions(ResultRecord r) {
    List<String> out = new ArrayList<>();
    if (r.assertions() == null) {
      return out;
    }
    for (AssertionResult a : r.assertions()) {
      if (!a.pass()) {
        String name =
            a.metric() == null || a.metric().equals(a.type())
                ? a.type()
                : a.metric() + " (" + a.type() + ")";
        out.add(name + ": " + (a.reason() == null ? "failed" : a.reason()));
      }
    }
    return out;
  }

  /** The one-line reason a result failed its evaluation. */
  static String failureMessage(ResultRecord r, List<String> failed) {
    if (failed.isEmpty()) {
      return "Evaluation failed (score " + number(r.score()) + ")";
    }
    return failed.size() == 1
        ? failed.get(0)
        : failed.size() + " assertions failed: " + String.join("; ", failed);
  }

  /** The test's name: its test id, with the repeat when there are several. */
  static String testName(ResultRecord r) {
    String id = r.testId() == null ? "item-" + r.itemKey() : r.testId();
    return r.repeatIndex() == 0 ? id : id + " [repeat " + r.repeatIndex() + "]";
  }

  static String number(Double d) {
    return d == null ? "" : String.format(Locale.ROOT, "%.4f", d);
  }

  /** Seconds with millisecond precision, as JUnit reports write them. */
  static String seconds(double seconds) {
    return String.format(Locale.ROOT, "%.3f", seconds);
  }
}
