package dev.llmtestbench.monitoring.graphql;

import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The subscription schema served on {@code /graphql/ws} ({@code live-schema.graphql}): each root
 * field returns the {@link LiveStream} of the operation, which graphql-java maps event by event
 * onto the selected fields.
 */
final class LiveSchema {

  static final String CONTEXT_STREAM = "ltb.stream";

  private LiveSchema() {}

  static String sdl() {
    try (InputStream in = LiveSchema.class.getResourceAsStream("live-schema.graphql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GraphQL build() {
    DataFetcher<LiveStream> stream =
        env -> {
          LiveStream s = env.getGraphQlContext().get(CONTEXT_STREAM);
          s.start(env.getField().getName(), env.getArguments());
          return s;
        };
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .type(
                "Subscription",
                t ->
                    t.dataFetcher("benchmarkProgress", stream)
                        .dataFetcher("metricsStream", stream)
                        .dataFetcher("alertsStream", stream))
            .type("Query", t -> t.dataFetcher("liveTopics", env -> LiveStream.ROOT_FIELDS))
            .build();
    GraphQLSchema schema =
        new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl()), wiring);
    return GraphQL.newGraphQL(schema).build();
  }
}
