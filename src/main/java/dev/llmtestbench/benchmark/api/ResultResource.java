package dev.llmtestbench.benchmark.api;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.export.ExportFormat;
import dev.llmtestbench.benchmark.export.ResultExporter;
import dev.llmtestbench.benchmark.persistence.ResultFilter;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Ids;
import dev.llmtestbench.platform.rest.Page;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
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

  @Inject RunRepository runs;

  @Inject ResultExporter exporter;

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

  @GET
  @Path("/{id}")
  @Operation(summary = "Get one result")
  public ResultView get(@PathParam("id") String id) {
    return results
        .find(Ids.parse(id, "result"))
        .map(ResultView::of)
        .orElseThrow(() -> ApiException.notFound("Result", id));
  }

  @POST
  @Path("/export")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({
    "text/csv",
    MediaType.APPLICATION_JSON,
    "application/x-ndjson",
    MediaType.APPLICATION_XML,
    MediaType.TEXT_HTML
  })
  @Operation(
      summary = "Export results as CSV, JSON, JSON Lines, JUnit XML or an HTML report",
      description =
          "Streams every result the filters select (the filters of GET /results), read from the"
              + " database a page of rows at a time, so memory stays constant however many"
              + " there are. JUnit XML has one testsuite per run and target and one testcase per"
              + " result, with a failure listing the failed assertions or an error for a failed"
              + " call. The HTML report is one self-contained file.")
  public Response export(
      @NotNull(message = "A JSON body is required, e.g. {\"format\": \"csv\", \"runId\": \"…\"}.")
          ExportRequest request) {
    if (request.format() == null || request.format().isBlank()) {
      throw ApiException.badRequest(
          "format is required: one of " + ExportFormat.names() + ".",
          List.of(new ApiException.Violation("format", "required")));
    }
    ExportFormat format = ExportFormat.parse(request.format());
    if (format == null) {
      throw ApiException.badRequest(
          "Unknown export format '"
              + request.format()
              + "'. Use one of "
              + ExportFormat.names()
              + ".",
          List.of(new ApiException.Violation("format", "one of " + ExportFormat.names())));
    }
    ResultFilter filter =
        filter(
            request.runId(),
            request.provider(),
            request.model(),
            request.status(),
            request.passed());
    if (filter.runId() != null && runs.find(filter.runId()).isEmpty()) {
      throw ApiException.notFound("Benchmark", filter.runId());
    }
    String file =
        "results-" + (filter.runId() == null ? "all" : filter.runId()) + "." + format.extension();
    return Response.ok(exporter.export(filter, format), format.mediaType())
        .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
        .build();
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
