package dev.llmtestbench.benchmark.api;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.persistence.ResultFilter;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Ids;
import dev.llmtestbench.platform.rest.Page;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Results of benchmark runs, filtered and paged in write order. */
@Path("/results")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Results")
public class ResultResource {

  static final Set<String> STATUSES = Set.of("success", "failure", "error", "timeout", "skipped");

  @Inject ResultRepository results;

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Operation(summary = "Query results by run, provider, model, status or pass/fail")
  public Page<ResultView> query(
      @QueryParam("runId") String runId,
      @QueryParam("provider") String provider,
      @QueryParam("model") String model,
      @QueryParam("status") String status,
      @QueryParam("passed") Boolean passed,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    int n = Ids.limit(limit, 50, 1000);
    return Page.of(
            results.query(
                filter(runId, provider, model, status, passed), Cursors.decode(cursor), n + 1),
            n,
            ResultRecord::seq)
        .map(ResultView::of);
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Path("/{id}")
  @Operation(summary = "Get one result")
  public ResultView get(@PathParam("id") String id) {
    return results
        .find(Ids.parse(id, "result"))
        .map(ResultView::of)
        .orElseThrow(() -> ApiException.notFound("Result", id));
  }

  /** Builds a filter, rejecting values that could never match with a 400 that says why. */
  public static ResultFilter filter(
      String runId, String provider, String model, String status, Boolean passed) {
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.badRequest(
          "Unknown result status '" + status + "'. Use one of " + STATUSES + ".");
    }
    return new ResultFilter(
        runId == null || runId.isBlank() ? null : Ids.parse(runId, "benchmark"),
        blankToNull(provider),
        blankToNull(model),
        status,
        passed);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
