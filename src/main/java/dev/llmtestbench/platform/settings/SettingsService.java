package dev.llmtestbench.platform.settings;

import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.ApiException.Violation;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Server-wide settings an administrator may change at run time (GraphQL {@code updateSettings},
 * {@code PUT /api/v1/settings}). Each is stored as a row of the {@code settings} table under {@code
 * setting.<name>}; without a row, the MicroProfile Config default applies. Every server sharing the
 * database reads the rows again on each use, so a change applies to the runs created after it on
 * all of them.
 */
@ApplicationScoped
public class SettingsService {

  /** Prefix of the rows of the {@code settings} table that hold these settings. */
  static final String PREFIX = "setting.";

  public static final String DEFAULT_CONCURRENCY = "defaultConcurrency";
  public static final String DEFAULT_TIMEOUT_MS = "defaultTimeoutMs";
  public static final String DEFAULT_PARTITIONS = "defaultPartitions";

  /** The settings, in the order they are documented. */
  public static final List<String> NAMES =
      List.of(DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, DEFAULT_PARTITIONS);

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.default-concurrency", defaultValue = "16")
  int configConcurrency;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.max-concurrency", defaultValue = "256")
  int maxConcurrency;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.default-timeout-ms", defaultValue = "60000")
  long configTimeoutMs;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.default-partitions", defaultValue = "2")
  int configPartitions;

  @Inject
  @ConfigProperty(name = "ltb.benchmark.max-partitions", defaultValue = "16")
  int maxPartitions;

  /** The settings in effect now. */
  public ServerSettings current() {
    Map<String, Integer> stored = new LinkedHashMap<>();
    Instant updated = null;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT key, value::text, updated_at FROM settings WHERE key LIKE 'setting.%'")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1).substring(PREFIX.length());
          if (!NAMES.contains(name)) {
            continue;
          }
          try {
            stored.put(name, Integer.valueOf(rs.getString(2).trim()));
          } catch (NumberFormatException e) {
            continue; // not written by this service: the config default applies
          }
          Instant at = rs.getTimestamp(3).toInstant();
          updated = updated == null || at.isAfter(updated) ? at : updated;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the settings", e);
    }
    return of(stored, updated);
  }

  ServerSettings of(Map<String, Integer> stored, Instant updated) {
    return new ServerSettings(
        stored.getOrDefault(DEFAULT_CONCURRENCY, configConcurrency),
        stored.getOrDefault(DEFAULT_TIMEOUT_MS, (int) configTimeoutMs),
        stored.getOrDefault(DEFAULT_PARTITIONS, configPartitions),
        NAMES.stream().filter(stored::containsKey).toList(),
        updated);
  }

  /**
   * Validates the whole change, then stores it in one transaction: on any invalid value nothing is
   * stored, and the error names every field to fix.
   */
  public ServerSettings update(SettingsUpdate u) {
    Map<String, Integer> values = validate(u);
    List<String> reset = u.reset() == null ? List.of() : u.reset();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM settings WHERE key = ?")) {
          for (String name : reset) {
            del.setString(1, PREFIX + name);
            del.executeUpdate();
          }
        }
        try (PreparedStatement up =
            c.prepareStatement(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?::jsonb, ?)"
                    + " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,"
                    + " updated_at = EXCLUDED.updated_at")) {
          for (Map.Entry<String, Integer> e : values.entrySet()) {
            up.setString(1, PREFIX + e.getKey());
            up.setString(2, Integer.toString(e.getValue()));
            up.setTimestamp(3, Timestamp.from(Instant.now()));
            up.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not store the settings", e);
    }
    return current();
  }

  /** The values to store by name; an {@link ApiException} (400) listing every violation. */
  Map<String, Integer> validate(SettingsUpdate u) {
    List<Violation> violations = new ArrayList<>();
    Map<String, Integer> values = new HashMap<>();
    check(u.defaultConcurrency(), DEFAULT_CONCURRENCY, maxConcurrency, values, violations);
    check(u.defaultTimeoutMs(), DEFAULT_TIMEOUT_MS, 600_000, values, violations);
    check(u.defaultPartitions(), DEFAULT_PARTITIONS, maxPartitions, values, violations);
    if (u.reset() != null) {
      for (String name : u.reset()) {
        if (!NAMES.contains(name)) {
          violations.add(
              new Violation("reset", "unknown setting '" + name + "'; settings are " + NAMES));
        } else if (values.containsKey(name)) {
          violations.add(new Violation("reset", "'" + name + "' is both set and reset"));
        }
      }
    }
    if (!violations.isEmpty()) {
      throw ApiException.badRequest(
          "Invalid settings, nothing was stored: "
              + violations.stream()
                  .map(v -> v.field() + " " + v.message())
                  .collect(Collectors.joining("; "))
              + ".",
          violations);
    }
    return values;
  }

  private static void check(
      Integer value, String name, int max, Map<String, Integer> values, List<Violation> out) {
    if (value == null) {
      return;
    }
    if (value < 1 || value > max) {
      out.add(new Violation(name, "must be between 1 and " + max + " (got " + value + ")"));
    } else {
      values.put(name, value);
    }
  }
}
