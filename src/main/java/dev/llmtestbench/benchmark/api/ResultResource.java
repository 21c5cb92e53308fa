package dev.llmtestbench.benchmark.api;

import dev.llmtestbench.benchmark.domain.ResultRecord;
import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.export.ExportFormat;
import dev.llmtestbench.benchmark.export.ResultExporter;
import dev.llmtestbench.benchmark.persistence.ResultFilter;
import dev.llmtestbench.benchmark.persistence.ResultRepository;
import dev.llmtestbench.benchmark.persistence.RunRepository;
import dev.llmtestbench.benchmark.service.RunAccess;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Ids;
import dev.llmtestbench.platform.rest.Page;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
  @Inject RunAccess access;

  @Inject EndedRunCache cache;

  @Context UriInfo uriInfo;

  /**
   * The shape of a page of results, for the OpenAPI document ({@link Page} of {@link ResultView}).
   */
  @Schema(name = "PageResultView")
  public record ResultPage(List<ResultView> items, String nextCursor) {}

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Operation(
      summary = "Query results by run, provider, model, status, date, tags, score or text",
      description =
          "A page of results in the order they were written (stable: a result never moves)."
              + " Filters combine with AND. Pass nextCursor back as cursor for the next page.")
  @APIResponse(
      responseCode = "200",
      description = "A page of results (with an ETag: If-None-Match gets a 304 when unchanged)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ResultPage.class)))
  @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
  @APIResponse(
      responseCode = "400",
      description = "A filter, limit or cursor is invalid; violations name the parameter",
      content = @Content(mediaType = "application/problem+json"))
  public Response query(
      @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
      @Parameter(description = "a benchmark (run) id") @QueryParam("runId") String runId,
      @Parameter(description = "provider name (exact)") @QueryParam("provider") String provider,
      @Parameter(description = "model name (exact)") @QueryParam("model") String model,
      @Parameter(description = "success, failure, error, timeout or skipped") @QueryParam("status")
          String status,
      @Parameter(description = "true or false") @QueryParam("passed") Boolean passed,
      @Parameter(
              description =
                  "written at or after: an ISO-8601 instant (2026-11-22T10:00:00Z) or a date"
                      + " (its start, UTC)",
              example = "2026-11-22")
          @QueryParam("from")
          String from,
      @Parameter(description = "written before: an instant or a date (its start, UTC)")
          @QueryParam("to")
          String to,
      @Parameter(description = "a tag the result carries; repeat for all of several")
          @QueryParam("tag")
          List<String> tags,
      @Parameter(
              description =
                  "the lowest score kept: a number for the result's score, or metric:number for"
                      + " one metric's score; repeatable",
              example = "numeric-answer:0.5")
          @QueryParam("minScore")
          List<String> minScores,
      @Parameter(
              description =
                  "full-text search over prompts and responses (PostgreSQL, English; web search"
                      + " syntax: words, \"quoted phrase\", or, -word)",
              example = "capital -France")
          @QueryParam("q")
          String q,
      @Parameter(description = "results per page, 1 to 1000 (default 50)") @QueryParam("limit")
          Integer limit,
      @Parameter(description = "the nextCursor of the previous page") @QueryParam("cursor")
          String cursor) {
    int n = Ids.limit(limit, 50, 1000);
    ResultFilter f =
        filter(runId, provider, model, status, passed, from, to, tags, minScores, q)
            .visibleTo(access.visibility());
    Supplier<Page<ResultView>> page =
        () ->
            Page.of(results.query(f, Cursors.decode(cursor), n + 1), n, ResultRecord::seq)
                .map(ResultView::of);
    if (f.runId() == null || !access.canRead(f.runId())) {
      return Response.ok(page.get()).build();
    }
    // One run's results stop changing when it ends: such a page is served from memory, the same
    // for everyone who may see the run.
    return cache.respond(
        f.runId(),
        "results?" + uriInfo.getRequestUri().getRawQuery(),
        ifNoneMatch,
        () -> {
          boolean ended = runs.status(f.runId()).map(RunStatus::isTerminal).orElse(false);
          return new EndedRunCache.Read(page.get(), ended);
        });
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Path("/{id}")
  @Operation(summary = "Get one result")
  public ResultView get(@PathParam("id") String id) {
    return results
        .find(Ids.parse(id, "result"))
        .filter(r -> access.canRead(r.runId()))
        .map(ResultView::of)
        .orElseThrow(() -> ApiException.notFound("Result", id));
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
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
  @APIResponse(
      responseCode = "200",
      description =
          "The export as an attachment (Content-Disposition names the file), in the format asked",
      content = {
        @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)),
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY)),
        @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING)),
        @Content(mediaType = MediaType.APPLICATION_XML, schema = @Schema(type = SchemaType.STRING)),
        @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING))
      })
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
                request.passed(),
                request.from(),
                request.to(),
                request.tags(),
                request.minScore(),
                request.q())
            .visibleTo(access.visibility());
    if (filter.runId() != null && !access.canRead(filter.runId())) {
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
    return filter(runId, provider, model, status, passed, null, null, null, null, null);
  }

  /**
   * Builds a filter from request parameters, answering 400 with a violation naming each invalid
   * parameter.
   */
  public static ResultFilter filter(
      String runId,
      String provider,
      String model,
      String status,
      Boolean passed,
      String from,
      String to,
      List<String> tags,
      List<String> minScores,
      String q) {
    List<ApiException.Violation> bad = new ArrayList<>();
    if (status != null && !status.isBlank() && !STATUSES.contains(status)) {
      bad.add(
          new ApiException.Violation(
              "status", "Unknown result status '" + status + "'. Use one of " + STATUSES + "."));
    }
    UUID run = null;
    if (runId != null && !runId.isBlank()) {
      try {
        run = UUID.fromString(runId.trim());
      } catch (IllegalArgumentException e) {
        bad.add(
            new ApiException.Violation("runId", "'" + runId + "' is not a benchmark id (a UUID)."));
      }
    }
    OffsetDateTime start = time("from", from, bad);
    OffsetDateTime end = time("to", to, bad);
    if (start != null && end != null && !start.isBefore(end)) {
      bad.add(new ApiException.Violation("to", "to must be after from."));
    }
    List<String> tagList = new ArrayList<>();
    if (tags != null) {
      for (String t : tags) {
        if (t == null || t.isBlank()) {
          bad.add(new ApiException.Violation("tag", "A tag cannot be empty."));
        } else {
          tagList.add(t);
        }
      }
    }
    Map<String, Double> mins = new LinkedHashMap<>();
    if (minScores != null) {
      for (String m : minScores) {
        minScore(m, mins, bad);
      }
    }
    String search = blankToNull(q);
    if (search != null && search.length() > 500) {
      bad.add(new ApiException.Violation("q", "The search is at most 500 characters."));
    }
    if (!bad.isEmpty()) {
      throw ApiException.badRequest(
          bad.size() == 1
              ? "Invalid parameter " + bad.get(0).field() + ": " + bad.get(0).message()
              : bad.size() + " invalid parameters; see violations.",
          bad);
    }
    return new ResultFilter(
        run,
        blankToNull(provider),
        blankToNull(model),
        blankToNull(status),
        passed,
        start,
        end,
        tagList,
        mins,
        search,
        null);
  }

  private static OffsetDateTime time(String name, String value, List<ApiException.Violation> bad) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      return v.length() == 10
          ? LocalDate.parse(v).atStartOfDay().atOffset(ZoneOffset.UTC)
          : OffsetDateTime.parse(v);
    } catch (DateTimeParseException e) {
      bad.add(
          new ApiException.Violation(
              name,
              "'"
                  + value
                  + "' is neither an ISO-8601 instant with an offset (2026-11-22T10:00:00Z) nor a"
                  + " date (2026-11-22)."));
      return null;
    }
  }

  private static void minScore(
      String value, Map<String, Double> mins, List<ApiException.Violation> bad) {
    String v = value == null ? "" : value.trim();
    int colon = v.lastIndexOf(':');
    String metric = colon < 0 ? ResultFilter.OVERALL : v.substring(0, colon).trim();
    String number = colon < 0 ? v : v.substring(colon + 1).trim();
    try {
      double d = Double.parseDouble(number);
      if (colon >= 0 && metric.isEmpty()) {
        throw new NumberFormatException();
      }
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      mins.merge(metric, d, Math::max);
    } catch (NumberFormatException e) {
      bad.add(
          new ApiException.Violation(
              "minScore",
              "'" + value + "' is neither a number (the result's score) nor metric:number."));
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
