package dev.llmtestbench.platform.settings;

import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.security.Callers;
import dev.llmtestbench.platform.security.Permission;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/** The server-wide settings over GraphQL (administrators only), as /api/v1/settings. */
@GraphQLApi
public class SettingsGraphQLApi {

  @Inject SettingsService settings;
  @Inject Callers callers;

  /** The settings in effect. */
  @Name("Settings")
  @Description("The server-wide settings in effect; each is stored or the config default.")
  public static class SettingsType {
    @Description("Provider calls a partition keeps in flight when a run sets no concurrency.")
    public int defaultConcurrency;

    @Description("Per-call timeout (ms) when a run sets no timeoutMs.")
    public int defaultTimeoutMs;

    @Description("Partitions of a run that sets none.")
    public int defaultPartitions;

    @Description(
        "Names of the settings stored by an administrator; the others are config defaults.")
    public List<String> stored;

    @Description("When a stored setting last changed; null when none is stored.")
    public OffsetDateTime updatedAt;

    static SettingsType of(ServerSettings s) {
      SettingsType t = new SettingsType();
      t.defaultConcurrency = s.defaultConcurrency();
      t.defaultTimeoutMs = s.defaultTimeoutMs();
      t.defaultPartitions = s.defaultPartitions();
      t.stored = s.stored();
      t.updatedAt = s.updatedAt() == null ? null : s.updatedAt().atOffset(ZoneOffset.UTC);
      return t;
    }
  }

  /** A change of settings: null leaves a setting as it is. */
  @Name("SettingsInput")
  public static class SettingsInput {
    @Description("1 to ltb.benchmark.max-concurrency.")
    public Integer defaultConcurrency;

    @Description("1 to 600000.")
    public Integer defaultTimeoutMs;

    @Description("1 to ltb.benchmark.max-partitions.")
    public Integer defaultPartitions;

    @Description("Settings to remove, so that their config default applies again.")
    public List<String> reset;
  }

  @Query("settings")
  @Description("The server-wide settings in effect (administrators only).")
  public SettingsType settings() throws GraphQLException {
    callers.requireInGraphQL(Permission.ADMIN_ACCESS);
    return SettingsType.of(settings.current());
  }

  @Mutation("updateSettings")
  @Description(
      "Stores the given settings (administrators only); all or none: an invalid value stores"
          + " nothing and the error names each field to fix.")
  public SettingsType updateSettings(@NonNull SettingsInput input) throws GraphQLException {
    callers.requireInGraphQL(Permission.ADMIN_ACCESS);
    try {
      return SettingsType.of(
          settings.update(
              new SettingsUpdate(
                  input.defaultConcurrency,
                  input.defaultTimeoutMs,
                  input.defaultPartitions,
                  input.reset)));
    } catch (ApiException e) {
      throw new GraphQLException(
          e.getMessage(), GraphQLException.ExceptionType.DataFetchingException);
    }
  }
}
