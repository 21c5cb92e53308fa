package dev.llmtestbench.dataset.api;

import dev.llmtestbench.dataset.domain.Dataset;
import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A dataset as the API shows it. */
public record DatasetView(
    String id,
    String name,
    String description,
    String promptTemplate,
    List<AssertionSpec> assertions,
    List<String> tags,
    Map<String, Object> metadata,
    int testCaseCount,
    OffsetDateTime createdAt,
    List<SuggestedTarget> targets,
    @Schema(description = "The group whose members may read the dataset, or null.")
        String sharedGroup,
    @Schema(description = "Whether every signed-in caller may read the dataset (the samples).")
        boolean sharedWithAll) {

  public static DatasetView of(Dataset d) {
    return new DatasetView(
        d.id().toString(),
        d.name(),
        d.description(),
        d.promptTemplate(),
        d.assertions(),
        d.tags(),
        d.metadata(),
        d.testCaseCount(),
        d.createdAt(),
        d.targets(),
        d.sharing().group(),
        d.sharing().all());
  }
}
