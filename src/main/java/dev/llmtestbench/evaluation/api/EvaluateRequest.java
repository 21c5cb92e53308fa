package dev.llmtestbench.evaluation.api;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Map;

/**
 * One response to score without running anything: the output, what it answered, and the assertions
 * to apply (the same types as in runs).
 */
public record EvaluateRequest(
    @NotNull(message = "output is required (it may be empty).") String output,
    String prompt,
    String expected,
    Map<String, Object> vars,
    @PositiveOrZero(message = "latencyMs must be 0 or more.") Long latencyMs,
    String finishReason,
    @PositiveOrZero(message = "cost must be 0 or more.") Double cost,
    List<Double> logprobs,
    @NotEmpty(message = "assertions must list at least one assertion.")
        List<AssertionSpec> assertions) {}
