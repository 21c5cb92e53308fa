package dev.llmtestbench.provider.api;

import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.provider.service.ProviderDefinition;
import dev.llmtestbench.provider.service.ProviderRegistry;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The providers runs can call. */
@Path("/providers")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Providers")
public class ProviderResource {

  @Inject ProviderRegistry registry;
  @Context UriInfo uriInfo;

  @GET
  @Operation(summary = "List providers")
  public List<ProviderView> list() {
    return registry.all().stream().map(ProviderView::of).toList();
  }

  @GET
  @Path("/{name}")
  @Operation(summary = "Get a provider")
  public ProviderView get(@PathParam("name") String name) {
    return registry
        .find(name)
        .map(ProviderView::of)
        .orElseThrow(() -> ApiException.notFound("Provider", name));
  }

  @GET
  @Path("/{name}/models")
  @Operation(summary = "List a provider's configured models")
  public List<String> models(@PathParam("name") String name) {
    return get(name).models();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Register an OpenAI-compatible endpoint or a simulator")
  public Response register(
      @NotNull(message = "A JSON body describing the provider is required.") @Valid
          RegisterProviderRequest r) {
    if (r.apiKey() != null) {
      throw ApiException.badRequest(
          "Do not send API keys: put the key in an environment variable or config property of"
              + " the server and pass its name as apiKeyEnv.");
    }
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
                java.util.Map.of(),
                r.settings()));
    return Response.created(uriInfo.getBaseUriBuilder().path("providers").path(p.name()).build())
        .entity(ProviderView.of(p))
        .build();
  }

  @DELETE
  @Path("/{name}")
  @Operation(summary = "Remove a provider registered over the API (its results stay)")
  public Response delete(@PathParam("name") String name) {
    if (!registry.deactivate(name)) {
      throw ApiException.notFound("Provider", name);
    }
    return Response.noContent().build();
  }
}
