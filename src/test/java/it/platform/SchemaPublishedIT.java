package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import it.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The GraphQL schema the server publishes at /graphql/schema.graphql is the one checked in as
 * docs/schema.graphql, so a change to the schema shows in review. When this fails, the served
 * schema is in target/schema.graphql: copy it to docs/ if the change is meant.
 */
class SchemaPublishedIT {

  @Test
  void shouldServeTheCheckedInSchema() throws Exception {
    Api.Res served = Api.get(Api.BASE + "/graphql/schema.graphql");
    assertEquals(200, served.status(), served.toString());
    String schema = normalise(served.body());
    Files.writeString(Path.of("target/schema.graphql"), schema);
    String checkedIn = normalise(Files.readString(Path.of("docs/schema.graphql")));
    assertEquals(
        checkedIn,
        schema,
        "The served GraphQL schema differs from docs/schema.graphql; the served one is in"
            + " target/schema.graphql (diff them; copy it if the change is meant).");
  }

  private static String normalise(String s) {
    return s.replace("\r\n", "\n").strip() + "\n";
  }
}
