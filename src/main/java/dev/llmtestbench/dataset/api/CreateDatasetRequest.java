package dev.llmtestbench.dataset.api;

import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A new dataset with its test cases inline, optionally the targets runs use when they name none,
 * and with whom it is shared (docs/security.md "Ownership").
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
    List<SuggestedTarget> targets,
    @Schema(
            description =
                "A group whose members may read the dataset and run it (you must be in it unless"
                    + " admin); omitted: nobody but you and admins.")
        String shareWith,
    @Schema(
            description =
                "Whether every signed-in caller may read and run the dataset (admins only);"
                    + " default false.")
        Boolean sharedWithAll) {}
