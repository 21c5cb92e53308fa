package dev.llmtestbench.dataset.persistence;

import dev.llmtestbench.dataset.domain.Dataset;
import dev.llmtestbench.dataset.domain.RecordedOutput;
import dev.llmtestbench.dataset.domain.SuggestedTarget;
import dev.llmtestbench.dataset.domain.TestCase;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.database.Rows;
import dev.llmtestbench.platform.json.Json;
import dev.llmtestbench.platform.security.Visibility;
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
          + " created_at, targets, owner, shared_group, shared_all";

  /**
   * Who may read a dataset, in SQL: everyone when it is shared with all, else {@link
   * Visibility#PREDICATE}; its parameters are {@link Visibility#params()}.
   */
  private static final String VISIBLE = "(shared_all OR " + Visibility.PREDICATE + ")";

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
    try (Writer w = open(d)) {
      cases.forEach(w::add);
      return w.commit(d.metadata(), d.targets());
    }
  }

  /**
   * Starts storing a dataset whose cases are then {@linkplain Writer#add added} one at a time and
   * sent in batches of {@value #BATCH}, all in one transaction: nothing is visible until {@link
   * Writer#commit}, and closing the writer without committing stores nothing. Memory stays that of
   * one batch however many cases there are.
   */
  public Writer open(Dataset d) {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
    try {
      return new Writer(c, d);
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Already failing; the first error is the one to report.
      }
      throw e instanceof SQLException s ? Rows.failure(s) : (RuntimeException) e;
    }
  }

  /** Cases sent to PostgreSQL per batch while a dataset is stored. */
  static final int BATCH = 500;

  /** One dataset being stored: its row, then its cases in batches, in one transaction. */
  public final class Writer implements AutoCloseable {

    private final Connection c;
    private final UUID id;
    private final PreparedStatement cases;
    private int count;
    private int pending;
    private boolean done;

    private Writer(Connection c, Dataset d) throws SQLException {
      this.c = c;
      try {
        c.setAutoCommit(false);
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO datasets (name, description, prompt_template, assertions, tags,"
                    + " metadata, test_case_count, targets, owner, shared_group, shared_all)"
                    + " VALUES (?, ?, ?, ?::jsonb, ?, ?::jsonb, 0, '[]'::jsonb, ?, ?, ?)"
                    + " RETURNING id")) {
          ps.setString(1, d.name());
          ps.setString(2, d.description());
          ps.setString(3, d.promptTemplate());
          ps.setString(4, Json.write(d.assertions()));
          ps.setArray(5, Rows.textArray(c, d.tags()));
          ps.setString(6, Json.write(d.metadata()));
          ps.setString(7, d.sharing().owner());
          ps.setString(8, d.sharing().group());
          ps.setBoolean(9, d.sharing().all());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getObject(1, UUID.class);
          }
        }
        cases =
            c.prepareStatement(
                "INSERT INTO test_cases (dataset_id, ordinal, external_id, prompt, vars,"
                    + " expected, assertions, tags, metadata, outputs) VALUES (?, ?, ?, ?,"
                    + " ?::jsonb, ?, ?::jsonb, ?, ?::jsonb, ?::jsonb)");
      } catch (SQLException | RuntimeException e) {
        abandon();
        throw e;
      }
    }

    /** Queues one case (its ordinal as given); a full batch is sent at once. */
    public void add(TestCase t) {
      try {
        cases.setObject(1, id);
        cases.setInt(2, t.ordinal());
        cases.setString(3, t.externalId());
        cases.setString(4, t.prompt());
        cases.setString(5, Json.write(t.vars()));
        cases.setString(6, t.expected());
        cases.setString(7, Json.write(t.assertions()));
        cases.setArray(8, Rows.textArray(c, t.tags()));
        cases.setString(9, Json.write(t.metadata()));
        cases.setString(10, Json.write(t.outputs()));
        cases.addBatch();
        count++;
        if (++pending == BATCH) {
          cases.executeBatch();
          pending = 0;
        }
      } catch (SQLException e) {
        throw Rows.failure(e);
      }
    }

    /** Sends what is queued, records the count, metadata and targets, and commits. */
    public Dataset commit(Map<String, Object> metadata, List<SuggestedTarget> targets) {
      try {
        if (pending > 0) {
          cases.executeBatch();
          pending = 0;
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE datasets SET test_case_count = ?, metadata = ?::jsonb,"
                    + " targets = ?::jsonb WHERE id = ?")) {
          ps.setInt(1, count);
          ps.setString(2, Json.write(metadata));
          ps.setString(3, Json.write(targets));
          ps.setObject(4, id);
          ps.executeUpdate();
        }
        c.commit();
        done = true;
        c.setAutoCommit(true);
        return find(c, id).orElseThrow();
      } catch (SQLException e) {
        throw Rows.failure(e);
      }
    }

    /** Rolls back unless committed, and gives the connection back. */
    @Override
    public void close() {
      if (!done) {
        abandon();
      }
      try {
        if (cases != null) {
          cases.close();
        }
        c.close();
      } catch (SQLException e) {
        throw Rows.failure(e);
      }
    }

    private void abandon() {
      done = true;
      try {
        c.rollback();
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // The connection is broken; closing it is all that is left to do.
      }
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

  /** The dataset if {@code v} may read it. */
  public Optional<Dataset> find(UUID id, Visibility v) {
    Object[] p = v.params();
    return jdbc.one(
        "SELECT " + COLUMNS + " FROM datasets WHERE id = ? AND " + VISIBLE,
        DatasetRepository::map,
        id,
        p[0],
        p[1],
        p[2]);
  }

  /**
   * The datasets {@code v} may read, newest first; {@code beforeSeq} is the cursor (exclusive),
   * null for the first page.
   */
  public List<Dataset> list(Visibility v, Long beforeSeq, int limit) {
    Object[] p = v.params();
    return jdbc.list(
        "SELECT "
            + COLUMNS
            + " FROM datasets WHERE (?::bigint IS NULL OR seq < ?::bigint) AND "
            + VISIBLE
            + " ORDER BY seq DESC LIMIT ?",
        DatasetRepository::map,
        beforeSeq,
        beforeSeq,
        p[0],
        p[1],
        p[2],
        limit);
  }

  /** Sets who a dataset is shared with (its owner stays); false when it does not exist. */
  public boolean share(UUID id, String group, boolean all) {
    return jdbc.update(
            "UPDATE datasets SET shared_group = ?, shared_all = ? WHERE id = ?", group, all, id)
        == 1;
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
        targets(rs.getString("targets")),
        new Dataset.Sharing(
            rs.getString("owner"), rs.getString("shared_group"), rs.getBoolean("shared_all")));
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
