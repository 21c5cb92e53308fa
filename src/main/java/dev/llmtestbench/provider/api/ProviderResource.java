package dev.llmtestbench.provider.api;

import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Ids;
import dev.llmtestbench.platform.rest.Page;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import dev.llmtestbench.provider.service.ProviderDefinition;
import dev.llmtestbench.provider.service.ProviderRegistry;
import dev.llmtestbench.provider.service.RegisteredProvider;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.ModelInfo;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The providers runs can call: list, find by capability, inspect, probe, register, remove. */
@Path("/providers")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Providers")
public class ProviderResource {

  static final Set<String> CAPABILITIES =
      Set.of(
          "streaming",
          "vision",
          "audio",
          "function_calling",
          "json_mode",
          "logprobs",
          "embeddings",
          "rerank");
  private static final long PROBE_SECONDS = 30;

  @Inject ProviderRegistry registry;
  @Context UriInfo uriInfo;

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Operation(
      summary = "List providers by name, optionally those with every given capability",
      description =
          "Without limit and cursor: every provider, as an array. With limit or cursor: a page"
              + " {items, nextCursor} in name order; pass nextCursor back as cursor.")
  @APIResponse(
      responseCode = "200",
      description = "The providers (an array), or a page of them when limit or cursor is given",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(type = SchemaType.ARRAY, implementation = ProviderView.class)))
  public Object list(
      @Parameter(description = "a capability every listed provider has; repeatable")
          @QueryParam("capability")
          List<String> capabilities,
      @Parameter(description = "providers per page, 1 to 500; asks for a page") @QueryParam("limit")
          Integer limit,
      @Parameter(description = "the nextCursor of the previous page") @QueryParam("cursor")
          String cursor) {
    for (String c : capabilities) {
      if (!CAPABILITIES.contains(c)) {
        throw ApiException.badRequest(
            "Unknown capability '"
                + c
                + "'. Use one of "
                + CAPABILITIES.stream().sorted().toList()
                + ".",
            List.of(new ApiException.Violation("capability", "unknown: " + c)));
      }
    }
    List<ProviderView> all =
        registry.all().stream()
            .map(ProviderView::of)
            .filter(v -> v.capabilities().containsAll(capabilities))
            .toList();
    if (limit == null && cursor == null) {
      return all;
    }
    int n = Ids.limit(limit, 50, 500);
    String after = Cursors.decodeName(cursor);
    return Page.ofCursor(
        all.stream()
            .filter(v -> after == null || v.name().compareTo(after) > 0)
            .limit(n + 1L)
            .toList(),
        n,
        v -> Cursors.encodeName(v.name()));
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Path("/{name}")
  @Operation(summary = "Get a provider")
  public ProviderView get(@PathParam("name") String name) {
    return ProviderView.of(provider(name));
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Path("/{name}/models")
  @Operation(summary = "List the models the provider offers now (its own model listing)")
  public List<ModelInfo> models(@PathParam("name") String name) {
    RegisteredProvider p = provider(name);
    try {
      return p.provider().listModels().get(PROBE_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ApiException(
          502,
          "provider-error",
          "Provider error",
          "Provider '" + name + "' could not list its models: " + cause.getMessage());
    } catch (TimeoutException e) {
      throw new ApiException(
          504,
          "provider-timeout",
          "Provider timeout",
          "Provider '" + name + "' did not list its models within " + PROBE_SECONDS + " s.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted", "Interrupted", "The request was interrupted.");
    }
  }

  @RequiresPermission(Permission.MANAGE_PROVIDERS)
  @POST
  @Path("/{name}/health")
  @Operation(summary = "Probe the provider with a cheap call; up or down with the reason")
  public HealthView health(@PathParam("name") String name) {
    RegisteredProvider p = provider(name);
    HealthReport r;
    try {
      r = p.provider().health().get(PROBE_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      r = new HealthReport(false, 0, cause.getMessage());
    } catch (TimeoutException e) {
      r =
          new HealthReport(
              false, PROBE_SECONDS * 1_000_000_000L, "No answer within " + PROBE_SECONDS + " s.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted", "Interrupted", "The request was interrupted.");
    }
    return new HealthView(
        name, r.up() ? "up" : "down", r.latencyNanos() / 1_000_000.0, r.message());
  }

  /** The outcome of a health probe. */
  public record HealthView(String provider, String status, double latencyMs, String message) {}

  @RequiresPermission(Permission.MANAGE_PROVIDERS)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Register a provider",
      description =
          "Any adapter: openai, azure-openai, anthropic, gemini, cohere, mistral, ollama, llamacpp,"
              + " llamacpp-local, http, simulator. The key is named by apiKeyEnv, or sent as apiKey"
              + " and stored encrypted (needs ltb.secrets.key); it is never returned.")
  @APIResponse(
      responseCode = "201",
      description = "The provider (its secret never shown); Location names it",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ProviderView.class)))
  public Response register(
      @NotNull(message = "A JSON body describing the provider is required.") @Valid
          RegisterProviderRequest r) {
    var p =
        registry.register(
            new ProviderDefinition(
                r.name(),
                r.adapter(),
                r.kind(),
                r.baseUrl(),
                r.apiKeyEnv(),
                r.models(),
                r.timeoutMs(),
                Map.of(),
                r.settings()),
            r.apiKey());
    return Response.created(uriInfo.getBaseUriBuilder().path("providers").path(p.name()).build())
        .entity(ProviderView.of(p))
        .build();
  }

  @RequiresPermission(Permission.MANAGE_PROVIDERS)
  @DELETE
  @Path("/{name}")
  @Operation(summary = "Remove a provider registered over the API (its results stay)")
  @APIResponse(responseCode = "204", description = "Removed")
  public Response delete(@PathParam("name") String name) {
    if (!registry.deactivate(name)) {
      throw ApiException.notFound("Provider", name);
    }
    return Response.noContent().build();
  }

  private RegisteredProvider provider(String name) {
    return registry.find(name).orElseThrow(() -> ApiException.notFound("Provider", name));
  }
}
