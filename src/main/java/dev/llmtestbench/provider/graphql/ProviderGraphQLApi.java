package dev.llmtestbench.provider.graphql;

import dev.llmtestbench.platform.security.Callers;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.provider.api.ProviderView;
import dev.llmtestbench.provider.service.ProviderRegistry;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/** The seeds' provider queries over GraphQL, as GET /api/v1/providers[/{name}] answer them. */
@GraphQLApi
public class ProviderGraphQLApi {

  @Inject ProviderRegistry registry;
  @Inject Callers callers;

  @Query("provider")
  @Description("A provider by name.")
  public ProviderType provider(@NonNull String name) throws GraphQLException {
    callers.requireInGraphQL(Permission.VIEW_RESULTS);
    return registry
        .find(name)
        .map(p -> ProviderType.of(ProviderView.of(p)))
        .orElseThrow(
            () ->
                new GraphQLException(
                    "Provider '" + name + "' does not exist.",
                    GraphQLException.ExceptionType.DataFetchingException));
  }

  @Query("providers")
  @Description("Every provider, or those with every capability given (e.g. [\"embeddings\"]).")
  public List<ProviderType> providers(List<String> capabilities) throws GraphQLException {
    callers.requireInGraphQL(Permission.VIEW_RESULTS);
    List<String> wanted = capabilities == null ? List.of() : capabilities;
    return registry.all().stream()
        .map(ProviderView::of)
        .filter(v -> v.capabilities().containsAll(wanted))
        .map(ProviderType::of)
        .toList();
  }
}
