package dev.llmtestbench.benchmark.api;

import dev.llmtestbench.benchmark.domain.Comparisons;
import dev.llmtestbench.benchmark.service.ComparisonService;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Comparisons: a run's models side by side, or a candidate run against a baseline run. */
@Path("/compare")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Benchmarks")
public class CompareResource {

  @Inject ComparisonService service;

  @RequiresPermission(Permission.VIEW_RESULTS)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Compare models on one run, or a candidate run against a baseline run",
      description =
          "With runId: the model matrix (rows = test cases × repeats, columns = targets) with"
              + " per-target totals, paged by cursor. With baseline and candidate: matched"
              + " per-case differences, McNemar's test on pass/fail, paired permutation tests and"
              + " bootstrap intervals on scores, Holm-adjusted across metrics, regressions flagged"
              + " and a verdict.")
  @APIResponse(
      responseCode = "200",
      description = "With runId: a ModelMatrix; with baseline and candidate: a RunComparison",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema =
                  @Schema(
                      oneOf = {Comparisons.ModelMatrix.class, Comparisons.RunComparison.class})))
  public Object compare(
      @NotNull(message = "A JSON body is required: {\"runId\"} or {\"baseline\", \"candidate\"}.")
          CompareRequest request) {
    return service.compare(request);
  }
}
