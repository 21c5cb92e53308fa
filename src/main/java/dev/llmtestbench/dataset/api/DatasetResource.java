package dev.llmtestbench.dataset.api;

import dev.llmtestbench.dataset.domain.Dataset;
import dev.llmtestbench.dataset.domain.TestCase;
import dev.llmtestbench.dataset.service.DatasetService;
import dev.llmtestbench.dataset.service.ImportOptions;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Ids;
import dev.llmtestbench.platform.rest.Page;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Datasets: create with inline cases, import files (JSONL, CSV, YAML, HF, promptfoo), list, read,
 * delete.
 */
@Path("/datasets")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Datasets")
public class DatasetResource {

  @Inject DatasetService service;
  @Context UriInfo uriInfo;

  @RequiresPermission(Permission.RUN_BENCHMARK)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a dataset with its test cases inline")
  @APIResponse(
      responseCode = "201",
      description = "The dataset; Location names it",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = DatasetView.class)))
  public Response create(
      @NotNull(message = "A JSON body describing the dataset is required.") @Valid
          CreateDatasetRequest request) {
    Dataset d = service.create(request);
    return Response.created(
            uriInfo.getBaseUriBuilder().path("datasets").path(d.id().toString()).build())
        .entity(DatasetView.of(d))
        .build();
  }

  @RequiresPermission(Permission.RUN_BENCHMARK)
  @POST
  @Path("/import")
  @Consumes({
    "application/x-ndjson",
    "application/jsonl",
    MediaType.TEXT_PLAIN,
    "text/csv",
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    MediaType.APPLICATION_JSON
  })
  @Operation(
      summary = "Import a dataset from JSONL, CSV, YAML, Hugging Face JSON or a promptfoo config",
      description =
          "format: jsonl | csv | yaml | hf | promptfoo (default from the Content-Type: text/csv"
              + " csv, YAML yaml, application/json hf, otherwise jsonl). Nothing is stored"
              + " unless every case is valid. See docs/api.md.")
  @APIResponse(
      responseCode = "201",
      description = "The imported dataset; Location names it",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = DatasetView.class)))
  public Response importFile(
      @QueryParam("format") String format,
      @QueryParam("name") String name,
      @QueryParam("description") String description,
      @QueryParam("promptTemplate") String promptTemplate,
      @QueryParam("promptField") String promptField,
      @QueryParam("expectedField") String expectedField,
      @QueryParam("idField") String idField,
      @QueryParam("assert") List<String> asserts,
      @QueryParam("tag") List<String> tags,
      @QueryParam("skipUnsupported") boolean skipUnsupported,
      @QueryParam("providerMap") List<String> providerMap,
      @QueryParam("recordedModel") String recordedModel,
      @QueryParam("shareWith") String shareWith,
      @QueryParam("sharedWithAll") Boolean sharedWithAll,
      @Context HttpHeaders headers,
      InputStream body) {
    List<AssertionSpec> specs =
        asserts.stream()
            .map(
                a -> {
                  int colon = a.indexOf(':');
                  return colon < 0
                      ? new AssertionSpec(a, null, null, null, null, null, null)
                      : new AssertionSpec(
                          a.substring(0, colon),
                          a.substring(colon + 1),
                          null,
                          null,
                          null,
                          null,
                          null);
                })
            .toList();
    Map<String, String> mapping = new LinkedHashMap<>();
    for (String m : providerMap) {
      int eq = m.lastIndexOf('=');
      if (eq <= 0 || eq == m.length() - 1) {
        throw ApiException.badRequest(
            "providerMap '"
                + m
                + "' must be promptfooId=registeredProvider, e.g. openai=my-openai.",
            List.of(new ApiException.Violation("providerMap", "expected id=provider")));
      }
      mapping.put(m.substring(0, eq).strip(), m.substring(eq + 1).strip());
    }
    ImportOptions options =
        new ImportOptions(
            name,
            description,
            promptTemplate,
            promptField,
            expectedField,
            idField,
            specs,
            tags,
            skipUnsupported,
            mapping,
            recordedModel);
    String chosen = format == null || format.isBlank() ? formatOf(headers.getMediaType()) : format;
    Dataset d =
        service.importFile(
            chosen.strip().toLowerCase(Locale.ROOT),
            options,
            service.sharingForNew(shareWith, sharedWithAll),
            body);
    return Response.created(
            uriInfo.getBaseUriBuilder().path("datasets").path(d.id().toString()).build())
        .entity(DatasetView.of(d))
        .build();
  }

  /** The format a Content-Type implies when no format is given. */
  private static String formatOf(MediaType type) {
    if (type == null) {
      return "jsonl";
    }
    String sub = type.getSubtype().toLowerCase(Locale.ROOT);
    if (sub.equals("csv")) {
      return "csv";
    }
    if (sub.equals("yaml") || sub.equals("x-yaml")) {
      return "yaml";
    }
    if (sub.equals("json")) {
      return "hf";
    }
    return "jsonl";
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Operation(
      summary = "List the datasets you may read, newest first",
      description =
          "Yours, those shared with one of your groups and those shared with everyone (the"
              + " samples); admins see all.")
  public Page<DatasetView> list(
      @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
    int n = Ids.limit(limit, 50, 500);
    return Page.of(service.list(Cursors.decode(cursor), n + 1), n, Dataset::seq)
        .map(DatasetView::of);
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Path("/{id}")
  @Operation(summary = "Get a dataset")
  public DatasetView get(@PathParam("id") String id) {
    UUID uuid = Ids.parse(id, "dataset");
    return service
        .findVisible(uuid)
        .map(DatasetView::of)
        .orElseThrow(() -> ApiException.notFound("Dataset", id));
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Path("/{id}/test-cases")
  @Operation(summary = "List a dataset's test cases in order")
  public Page<TestCaseView> testCases(
      @PathParam("id") String id,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    UUID uuid = Ids.parse(id, "dataset");
    if (service.findVisible(uuid).isEmpty()) {
      throw ApiException.notFound("Dataset", id);
    }
    int n = Ids.limit(limit, 100, 1000);
    Long after = Cursors.decode(cursor);
    List<TestCase> cases = service.testCases(uuid, after == null ? 0 : (int) (after + 1), n + 1);
    return Page.of(cases, n, TestCase::ordinal).map(TestCaseView::of);
  }

  @RequiresPermission(Permission.RUN_BENCHMARK)
  @DELETE
  @Path("/{id}")
  @Operation(
      summary = "Delete a dataset and its test cases (results of past runs stay)",
      description =
          "Owner or admin only: 403 for a dataset shared with you, 404 for one you cannot see, 409"
              + " while a pending or running benchmark uses it.")
  @APIResponse(responseCode = "204", description = "Deleted")
  public Response delete(@PathParam("id") String id) {
    service.delete(Ids.parse(id, "dataset"));
    return Response.noContent().build();
  }

  /** With whom a dataset is shared; a field left out keeps its value for sharedWithAll. */
  public record SharingRequest(
      @Schema(description = "A group whose members may read the dataset; null for nobody.")
          String group,
      @Schema(description = "Whether every signed-in caller may read it (admins only).")
          Boolean sharedWithAll) {}

  @RequiresPermission(Permission.RUN_BENCHMARK)
  @PUT
  @Path("/{id}/sharing")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Share a dataset with a group (or everyone), or stop sharing it",
      description =
          "{\"group\": \"team-a\"} lets the members of team-a read the dataset and run it (its"
              + " owner and admins alone change or delete it); {\"group\": null} shares it with"
              + " nobody. sharedWithAll (admins only) makes it readable by every signed-in caller."
              + " Owner or admin only (403 for a dataset shared with you, 404 for one you cannot"
              + " see); you must be in the group unless you are an admin. Runs already started"
              + " keep their cases. Answers the dataset as it now is.")
  public DatasetView share(
      @PathParam("id") String id,
      @NotNull(message = "A JSON body {\"group\": ...} is required (null to stop sharing).")
          SharingRequest body) {
    return DatasetView.of(
        service.share(Ids.parse(id, "dataset"), body.group(), body.sharedWithAll()));
  }
}
