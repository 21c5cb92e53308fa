package dev.llmtestbench.dataset.api;

import dev.llmtestbench.dataset.domain.RecordedOutput;
import dev.llmtestbench.dataset.domain.TestCase;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;
import java.util.Map;

/** A test case as the API shows it. */
public record TestCaseView(
    String id,
    int ordinal,
    String testId,
    String prompt,
    Map<String, Object> vars,
    String expected,
    @JsonbProperty("assert") List<AssertionSpec> assertions,
    List<String> tags,
    Map<String, Object> metadata,
    Map<String, RecordedOutput> outputs) {

  public static TestCaseView of(TestCase t) {
    return new TestCaseView(
        t.id().toString(),
        t.ordinal(),
        t.testId(),
        t.prompt(),
        t.vars(),
        t.expected(),
        t.assertions(),
        t.tags(),
        t.metadata(),
        t.outputs());
  }
}
