package dev.llmtestbench.dataset.api;

import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * A new dataset with its test cases inline, and optionally the targets runs use when they name
 * none.
 */
public record CreateDatasetRequest(
    @NotBlank(message = "Dataset name is required.")
        @Size(max = 255, message = "Dataset name must be at most 255 characters.")
        String name,
    String description,
    String promptTemplate,
    List<AssertionSpec> assertions,
    List<String> tags,
    Map<String, Object> metadata,
    List<TestCaseInput> testCases,
    List<SuggestedTarget> targets) {}
