package dev.llmtestbench.benchmark.api;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A benchmark to start: a dataset, the targets to call (default: the dataset's suggested targets),
 * assertions added to every case, and execution settings (defaults in docs/configuration.md);
 * {@code shareWith} names a group of the caller that may read the run (docs/security.md).
 */
public record CreateBenchmarkRequest(
    @Size(max = 255, message = "name must be at most 255 characters.") String name,
    String description,
    @NotBlank(message = "datasetId is required (see GET /api/v1/datasets).") String datasetId,
    List<@Valid TargetInput> targets,
    List<AssertionSpec> assertions,
    Integer repeats,
    Integer concurrency,
    Integer partitions,
    String systemPrompt,
    Double temperature,
    Integer maxTokens,
    Long timeoutMs,
    List<String> tags,
    Boolean stream,
    Boolean cache,
    Boolean cacheAcrossRepeats,
    List<ToolInput> tools,
    ResponseFormatInput responseFormat,
    Integer topLogprobs,
    dev.llmtestbench.benchmark.domain.Gate gate,
    dev.llmtestbench.benchmark.domain.Budget budget,
    String shareWith) {

  /** A function the model may call; {@code parameters} is a JSON Schema object. */
  public record ToolInput(String name, String description, jakarta.json.JsonObject parameters) {}

  /** text, json_object, or json_schema with a {@code schema} (a JSON Schema object). */
  public record ResponseFormatInput(String type, String name, jakarta.json.JsonObject schema) {}
}
