package dev.llmtestbench.dataset.persistence;

import dev.llmtestbench.dataset.domain.Dataset;
import dev.llmtestbench.dataset.domain.RecordedOutput;
import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.dataset.domain.TestCase;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.database.Rows;
import dev.llmtestbench.platform.json.Json;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.reflect.Type;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Datasets and their test cases in PostgreSQL. */
@ApplicationScoped
public class DatasetRepository {

  private static final Type SPEC_LIST =
      new ArrayList<AssertionSpec>() {}.getClass().getGenericSuperclass();
  private static final Type TARGET_LIST =
      new ArrayList<SuggestedTarget>() {}.getClass().getGenericSuperclass();
  private static final Type OUTPUT_MAP =
      new java.util.LinkedHashMap<String, RecordedOutput>() {}.getClass().getGenericSuperclass();
  private static final String COLUMNS =
      "id, seq, name, description, prompt_template, assertions, tags, metadata, test_case_count,"
          + " created_at, targets";

  /** The columns {@link #mapCase} reads, prefixed by the alias given. */
  public static String caseColumns(String alias) {
    return String.join(
        ", ",
        java.util.Arrays.stream(
                new String[] {
                  "id",
                  "dataset_id",
                  "ordinal",
                  "external_id",
                  "prompt",
                  "vars",
                  "expected",
                  "assertions",
                  "tags",
                  "metadata",
                  "outputs"
                })
            .map(c -> alias + c)
            .toList());
  }

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  @Inject Jdbc jdbc;

  /** Stores a dataset and all its cases in one transaction. */
  public Dataset insert(Dataset d, List<TestCase> cases) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        UUID id;
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO datasets (name, description, prompt_template, assertions, tags,"
                    + " metadata, test_case_count, targets) VALUES (?, ?, ?, ?::jsonb, ?, ?::jsonb,"
                    + " ?, ?::jsonb) RETURNING id")) {
          ps.setString(1, d.name());
          ps.setString(2, d.description());
          ps.setString(3, d.promptTemplate());
          ps.setString(4, Json.write(d.assertions()));
          ps.setArray(5, Rows.textArray(c, d.tags()));
          ps.setString(6, Json.write(d.metadata()));
          ps.setInt(7, cases.size());
          ps.setString(8, Json.write(d.targets()));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getObject(1, UUID.class);
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO test_cases (dataset_id, ordinal, external_id, prompt, vars, expected,"
                    + " assertions, tags, metadata, outputs) VALUES (?, ?, ?, ?, ?::jsonb, ?,"
                    + " ?::jsonb, ?, ?::jsonb, ?::jsonb)")) {
          int n = 0;
          for (TestCase t : cases) {
            ps.setObject(1, id);
            ps.setInt(2, t.ordinal());
            ps.setString(3, t.externalId());
            ps.setString(4, t.prompt());
            ps.setString(5, Json.write(t.vars()));
            ps.setString(6, t.expected());
            ps.setString(7, Json.write(t.assertions()));
            ps.setArray(8, Rows.textArray(c, t.tags()));
            ps.setString(9, Json.write(t.metadata()));
            ps.setString(10, Json.write(t.outputs()));
            ps.addBatch();
            if (++n % 500 == 0) {
              ps.executeBatch();
            }
          }
          ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        return find(c, id).orElseThrow();
      } catch (SQLException e) {
        c.rollback();
        c.setAutoCommit(true);
        throw e;
      }
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  public Optional<Dataset> find(UUID id) {
    return jdbc.one(
        "SELECT " + COLUMNS + " FROM datasets WHERE id = ?", DatasetRepository::map, id);
  }

  private Optional<Dataset> find(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM datasets WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  /** Newest first; {@code beforeSeq} is the cursor (exclusive), null for the first page. */
  public List<Dataset> list(Long beforeSeq, int limit) {
    return jdbc.list(
        "SELECT "
            + COLUMNS
            + " FROM datasets WHERE (?::bigint IS NULL OR seq < ?::bigint)"
            + " ORDER BY seq DESC LIMIT ?",
        DatasetRepository::map,
        beforeSeq,
        beforeSeq,
        limit);
  }

  /** Cases in order, from ordinal {@code fromOrdinal} (inclusive). */
  public List<TestCase> testCases(UUID datasetId, int fromOrdinal, int limit) {
    return jdbc.list(
        "SELECT "
            + caseColumns("")
            + " FROM test_cases WHERE dataset_id = ? AND ordinal >= ? ORDER BY ordinal LIMIT ?",
        DatasetRepository::mapCase,
        datasetId,
        fromOrdinal,
        limit);
  }

  /** Whether a pending or running benchmark still needs this dataset's cases. */
  public boolean inUseByActiveRun(UUID datasetId) {
    return jdbc.one(
            "SELECT 1 FROM sessions WHERE dataset_id = ? AND status IN ('pending', 'running')"
                + " LIMIT 1",
            rs -> true,
            datasetId)
        .isPresent();
  }

  public boolean delete(UUID id) {
    return jdbc.update("DELETE FROM datasets WHERE id = ?", id) == 1;
  }

  public static List<AssertionSpec> specs(String json) {
    List<AssertionSpec> specs = json == null ? null : Json.read(json, SPEC_LIST);
    return specs == null ? List.of() : specs;
  }

  private static Dataset map(ResultSet rs) throws SQLException {
    return new Dataset(
        rs.getObject("id", UUID.class),
        rs.getLong("seq"),
        rs.getString("name"),
        rs.getString("description"),
        rs.getString("prompt_template"),
        specs(rs.getString("assertions")),
        Rows.strings(rs, "tags"),
        Rows.map(rs, "metadata"),
        rs.getInt("test_case_count"),
        Rows.time(rs, "created_at"),
        targets(rs.getString("targets")));
  }

  public static TestCase mapCase(ResultSet rs) throws SQLException {
    return new TestCase(
        rs.getObject("id", UUID.class),
        rs.getObject("dataset_id", UUID.class),
        rs.getInt("ordinal"),
        rs.getString("external_id"),
        rs.getString("prompt"),
        Rows.map(rs, "vars"),
        rs.getString("expected"),
        specs(rs.getString("assertions")),
        Rows.strings(rs, "tags"),
        Rows.map(rs, "metadata"),
        outputs(rs.getString("outputs")));
  }

  private static List<SuggestedTarget> targets(String json) {
    List<SuggestedTarget> targets = json == null ? null : Json.read(json, TARGET_LIST);
    return targets == null ? List.of() : targets;
  }

  private static Map<String, RecordedOutput> outputs(String json) {
    Map<String, RecordedOutput> outputs = json == null ? null : Json.read(json, OUTPUT_MAP);
    return outputs == null ? Map.of() : outputs;
  }
}
