package dev.llmtestbench.benchmark.api;

import dev.llmtestbench.benchmark.domain.BenchmarkRun;
import dev.llmtestbench.benchmark.domain.RunFilter;
import dev.llmtestbench.benchmark.domain.RunStatus;
import dev.llmtestbench.benchmark.service.BenchmarkService;
import dev.llmtestbench.benchmark.service.RunAccess;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Ids;
import dev.llmtestbench.platform.rest.Page;
import dev.llmtestbench.platform.security.Callers;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Benchmark runs: start, list, read, cancel, restart. */
@Path("/benchmarks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Benchmarks")
public class BenchmarkResource {

  @Inject BenchmarkService service;

  @Inject EndedRunCache cache;
  @Context UriInfo uriInfo;
  @Inject RunAccess access;
  @Inject Callers callers;

  @RequiresPermission(Permission.RUN_BENCHMARK)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Start a benchmark",
      description =
          "Stores the run as pending, starts its batch job and answers 202 with its location."
              + " Follow it over GET or the /ws topics benchmark.progress and benchmark.completed.")
  @APIResponse(
      responseCode = "202",
      description = "The run, pending; Location names it",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BenchmarkView.class)))
  public Response create(
      @NotNull(message = "A JSON body describing the benchmark is required.") @Valid
          CreateBenchmarkRequest request) {
    BenchmarkRun run = service.create(request);
    return Response.accepted(BenchmarkView.of(run, null))
        .location(uriInfo.getBaseUriBuilder().path("benchmarks").path(run.id().toString()).build())
        .build();
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Operation(summary = "List benchmarks, newest first")
  public Page<BenchmarkView> list(
      @QueryParam("status") String status,
      @Parameter(description = "Runs with a target of this provider") @QueryParam("provider")
          String provider,
      @Parameter(description = "Runs with a target of this model (with provider: the same target)")
          @QueryParam("model")
          String model,
      @Parameter(description = "Created at or after this ISO-8601 instant or date (UTC)")
          @QueryParam("createdAfter")
          String createdAfter,
      @Parameter(description = "Created before this ISO-8601 instant or date (UTC)")
          @QueryParam("createdBefore")
          String createdBefore,
      @Parameter(description = "Runs carrying this tag; repeat for runs carrying every one")
          @QueryParam("tag")
          List<String> tags,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    int n = Ids.limit(limit, 50, 500);
    RunFilter filter = filter(status, provider, model, createdAfter, createdBefore, tags);
    return Page.of(service.list(Cursors.decode(cursor), filter, n + 1), n, BenchmarkRun::seq)
        .map(r -> BenchmarkView.of(r, service.summary(r)));
  }

  /** The run filter of a list, or a 400 naming the invalid parameter. */
  public static RunFilter filter(
      String status,
      String provider,
      String model,
      String createdAfter,
      String createdBefore,
      List<String> tags) {
    return new RunFilter(
        parseStatus(status),
        blankToNull(provider),
        blankToNull(model),
        parseInstant(createdAfter, "createdAfter"),
        parseInstant(createdBefore, "createdBefore"),
        tags == null ? List.of() : tags.stream().filter(t -> t != null && !t.isBlank()).toList());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** An ISO-8601 instant, date-time with offset, or date (its start, UTC); null when blank. */
  public static java.time.Instant parseInstant(String value, String name) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(value).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      } catch (java.time.format.DateTimeParseException e2) {
        throw ApiException.badRequest(
            "Invalid "
                + name
                + " '"
                + value
                + "'. Use an ISO-8601 date-time with offset (2026-11-23T05:00:00Z) or a date"
                + " (2026-11-23).",
            List.of(new ApiException.Violation(name, "not an ISO-8601 date-time or date")));
      }
    }
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Path("/{id}")
  @Operation(
      summary = "Get a benchmark with its summary",
      description =
          "The response carries an ETag; send it back as If-None-Match to get a 304 when nothing"
              + " changed. An ended run's answer is served from memory (see ltb.api.cache.*).")
  @APIResponse(
      responseCode = "200",
      description = "The benchmark",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BenchmarkView.class)))
  @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
  public Response get(
      @PathParam("id") String id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
    UUID runId = Ids.parse(id, "benchmark");
    access.requireRead(runId); // before the cache: an ended run is served to those who see it
    return cache.respond(
        runId,
        "benchmark",
        ifNoneMatch,
        () -> {
          BenchmarkRun run =
              service.find(runId).orElseThrow(() -> ApiException.notFound("Benchmark", id));
          return new EndedRunCache.Read(
              BenchmarkView.of(run, service.summary(run)), run.status().isTerminal());
        });
  }

  @RequiresPermission(Permission.RUN_BENCHMARK)
  @POST
  @Path("/{id}/cancel")
  @Operation(summary = "Cancel a pending or running benchmark; finished results stay")
  public BenchmarkView cancel(@PathParam("id") String id) {
    UUID uuid = Ids.parse(id, "benchmark");
    access.requireChange(uuid);
    BenchmarkRun run = service.cancel(uuid);
    cache.forget(run.id());
    return BenchmarkView.of(run, service.summary(run));
  }

  @RequiresPermission(Permission.RUN_BENCHMARK)
  @POST
  @Path("/{id}/restart")
  @Operation(
      summary = "Restart a failed, cancelled or interrupted benchmark from its checkpoints",
      description =
          "Restarts the run's batch job (its last execution must be failed or stopped): finished"
              + " results stay, the remaining items run, and the run ends with the summary an"
              + " uninterrupted run would have had. 409 for a completed run or a job still"
              + " executing.")
  public BenchmarkView restart(@PathParam("id") String id) {
    UUID uuid = Ids.parse(id, "benchmark");
    access.requireChange(uuid);
    BenchmarkRun run = service.restart(uuid);
    cache.forget(run.id());
    return BenchmarkView.of(run, service.summary(run));
  }

  /** The group a run is shared with; null shares it with nobody. */
  public record SharingRequest(String group) {}

  @RequiresPermission(Permission.RUN_BENCHMARK)
  @PUT
  @Path("/{id}/sharing")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Share a benchmark with a group, or stop sharing it",
      description =
          "{\"group\": \"team-a\"} lets the members of team-a read the run and its results (its"
              + " owner and admins still alone change it); {\"group\": null} shares it with"
              + " nobody. Owner or admin only (403 for a member of the shared group, 404 for a run"
              + " you cannot see); you must be in the group unless you are an admin. Takes effect"
              + " at once, on /ws and /graphql/ws too (within 5 s on other servers). Answers the"
              + " run with its new sharedGroup; 400 for a name that is no group name.")
  public BenchmarkView share(
      @PathParam("id") String id,
      @NotNull(message = "A JSON body {\"group\": ...} is required (null to stop sharing).")
          SharingRequest body) {
    UUID uuid = Ids.parse(id, "benchmark");
    access.requireChange(uuid);
    String group = callers.requireMayShareWith(body.group(), "group");
    service.share(uuid, group);
    access.forget(uuid);
    cache.forget(uuid);
    BenchmarkRun run = service.find(uuid).orElseThrow(() -> ApiException.notFound("Benchmark", id));
    return BenchmarkView.of(run, service.summary(run));
  }

  /** The status filter, or a 400 listing the valid statuses. */
  public static RunStatus parseStatus(String status) {
    if (status == null || status.isBlank()) {
      return null;
    }
    try {
      return RunStatus.valueOf(status.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "Unknown status '"
              + status
              + "'. Use one of "
              + Arrays.stream(RunStatus.values()).map(RunStatus::db).toList()
              + ".");
    }
  }
}
