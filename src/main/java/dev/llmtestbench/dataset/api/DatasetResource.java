package dev.llmtestbench.dataset.api;

import dev.llmtestbench.dataset.domain.Dataset;
import dev.llmtestbench.dataset.domain.TestCase;
import dev.llmtestbench.dataset.service.DatasetService;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Ids;
import dev.llmtestbench.platform.rest.Page;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Datasets: create with inline cases, import JSONL, list, read, delete. */
@Path("/datasets")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Datasets")
public class DatasetResource {

  @Inject DatasetService service;
  @Context UriInfo uriInfo;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a dataset with its test cases inline")
  public Response create(
      @NotNull(message = "A JSON body describing the dataset is required.") @Valid
          CreateDatasetRequest request) {
    Dataset d = service.create(request);
    return Response.created(
            uriInfo.getBaseUriBuilder().path("datasets").path(d.id().toString()).build())
        .entity(DatasetView.of(d))
        .build();
  }

  @POST
  @Path("/import")
  @Consumes({"application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN})
  @Operation(
      summary = "Import a dataset from JSONL",
      description =
          "One test case per line. Fields other than id, prompt, vars, expected, assert, tags and"
              + " metadata become variables. Repeat `assert` as type or type:value to add"
              + " dataset-wide assertions.")
  public Response importJsonl(
      @QueryParam("name") String name,
      @QueryParam("description") String description,
      @QueryParam("promptTemplate") String promptTemplate,
      @QueryParam("expectedField") String expectedField,
      @QueryParam("assert") List<String> asserts,
      @QueryParam("tag") List<String> tags,
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
    Dataset d =
        service.importJsonl(
            name,
            description,
            promptTemplate,
            expectedField,
            specs,
            tags,
            new InputStreamReader(body, StandardCharsets.UTF_8));
    return Response.created(
            uriInfo.getBaseUriBuilder().path("datasets").path(d.id().toString()).build())
        .entity(DatasetView.of(d))
        .build();
  }

  @GET
  @Operation(summary = "List datasets, newest first")
  public Page<DatasetView> list(
      @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
    int n = Ids.limit(limit, 50, 500);
    return Page.of(service.list(Cursors.decode(cursor), n + 1), n, Dataset::seq)
        .map(DatasetView::of);
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "Get a dataset")
  public DatasetView get(@PathParam("id") String id) {
    UUID uuid = Ids.parse(id, "dataset");
    return service
        .find(uuid)
        .map(DatasetView::of)
        .orElseThrow(() -> ApiException.notFound("Dataset", id));
  }

  @GET
  @Path("/{id}/test-cases")
  @Operation(summary = "List a dataset's test cases in order")
  public Page<TestCaseView> testCases(
      @PathParam("id") String id,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    UUID uuid = Ids.parse(id, "dataset");
    if (service.find(uuid).isEmpty()) {
      throw ApiException.notFound("Dataset", id);
    }
    int n = Ids.limit(limit, 100, 1000);
    Long after = Cursors.decode(cursor);
    List<TestCase> cases = service.testCases(uuid, after == null ? 0 : (int) (after + 1), n + 1);
    return Page.of(cases, n, TestCase::ordinal).map(TestCaseView::of);
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "Delete a dataset and its test cases (results of past runs stay)")
  public Response delete(@PathParam("id") String id) {
    service.delete(Ids.parse(id, "dataset"));
    return Response.noContent().build();
  }
}
