package dev.llmtestbench.platform.audit;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;

/** Binds {@link AuditedMutationInterceptor} to every GraphQL mutation method. */
public class GraphQLAuditExtension implements Extension {

  <T> void audit(@Observes @WithAnnotations(GraphQLApi.class) ProcessAnnotatedType<T> type) {
    type.configureAnnotatedType()
        .filterMethods(m -> m.isAnnotationPresent(Mutation.class))
        .forEach(m -> m.add(AuditedMutation.Literal.INSTANCE));
  }
}
