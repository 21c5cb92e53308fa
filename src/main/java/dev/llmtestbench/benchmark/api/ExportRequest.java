package dev.llmtestbench.benchmark.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What to export and in which format; the selection takes the same filters as GET /results.
 *
 * @param format {@code csv}, {@code json}, {@code jsonl}, {@code junit} or {@code html}
 * @param runId the run whose results to export (all runs when absent)
 * @param provider only this provider's results
 * @param model only this model's results
 * @param status only results with this status
 * @param passed only passed (true) or failed (false) results
 * @param from written at or after this instant or date
 * @param to written before this instant or date
 * @param tags carrying every one of these tags
 * @param minScore lowest scores kept, {@code 0.5} or {@code metric:0.5}
 * @param q full-text search over prompts and responses
 */
@Schema(
    name = "ExportRequest",
    description = "Which results to export and in which format",
    example = "{\"format\": \"junit\", \"runId\": \"9c095a92-cc9a-470a-b83f-87c4dcb57fef\"}")
public record ExportRequest(
    @Schema(
            required = true,
            enumeration = {"csv", "json", "jsonl", "junit", "html"},
            description = "csv, json (an array), jsonl, junit (JUnit XML) or html (a report)")
        String format,
    @Schema(description = "a benchmark id; all runs when absent") String runId,
    String provider,
    String model,
    @Schema(enumeration = {"success", "failure", "error", "timeout", "skipped"}) String status,
    Boolean passed,
    @Schema(description = "written at or after: an ISO-8601 instant or a date (its start, UTC)")
        String from,
    @Schema(description = "written before: an ISO-8601 instant or a date (its start, UTC)")
        String to,
    @Schema(description = "tags every exported result carries") java.util.List<String> tags,
    @Schema(
            description = "lowest scores kept: a number for the result's score, or metric:number",
            example = "[\"numeric-answer:0.5\"]")
        java.util.List<String> minScore,
    @Schema(description = "full-text search over prompts and responses") String q) {}
