package dev.llmtestbench.dataset.api;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;
import java.util.Map;

/**
 * A test case as clients send it: a prompt template (or the dataset's), its variables, the expected
 * output, assertions under {@code assert} (promptfoo's name), and recorded outputs: {@code outputs}
 * maps a model name to its text or to {@code {output, latencyMs, promptTokens, completionTokens,
 * cost, finishReason}}; {@code output} with {@code model} records one.
 */
public record TestCaseInput(
    String id,
    String prompt,
    Map<String, Object> vars,
    String expected,
    @JsonbProperty("assert") List<AssertionSpec> assertions,
    List<String> tags,
    Map<String, Object> metadata,
    Map<String, Object> outputs,
    String output,
    String model) {}
