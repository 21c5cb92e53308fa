package dev.llmtestbench.benchmark.persistence;

import dev.llmtestbench.benchmark.domain.WorkItem;
import dev.llmtestbench.dataset.persistence.DatasetRepository;
import dev.llmtestbench.platform.database.Rows;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** A run's plan: dataset x target x repeat expanded into work items with stable keys. */
@ApplicationScoped
public class WorkItemRepository {

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  /**
   * Plans the run in one statement; keys follow (case, repeat, target) so each case's targets sit
   * side by side. Re-planning after a restart inserts nothing new. Returns the item count.
   */
  public int plan(UUID runId, UUID datasetId, int targets, int repeats) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO work_items (session_id, item_key, test_case_id, target_index,"
                  + " repeat_index) SELECT ?, (row_number() OVER (ORDER BY tc.ordinal, r.rep,"
                  + " t.idx) - 1)::int, tc.id, t.idx, r.rep FROM test_cases tc CROSS JOIN"
                  + " generate_series(0, ? - 1) AS t(idx) CROSS JOIN generate_series(0, ? - 1) AS"
                  + " r(rep) WHERE tc.dataset_id = ? ON CONFLICT DO NOTHING")) {
        ps.setObject(1, runId);
        ps.setInt(2, targets);
        ps.setInt(3, repeats);
        ps.setObject(4, datasetId);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement("SELECT count(*) FROM work_items WHERE session_id = ?")) {
        ps.setObject(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }

  /**
   * The next items of a partition's key range that have no result yet, while the run is still
   * running (a cancelled run reads nothing more).
   */
  public List<WorkItem> pending(UUID runId, int afterKey, int lastKey, int limit) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT w.item_key, w.target_index, w.repeat_index, tc.id, tc.dataset_id,"
                    + " tc.ordinal, tc.external_id, tc.prompt, tc.vars, tc.expected,"
                    + " tc.assertions, tc.tags, tc.metadata FROM work_items w JOIN test_cases tc"
                    + " ON tc.id = w.test_case_id JOIN sessions s ON s.id = w.session_id AND"
                    + " s.status = 'running' WHERE w.session_id = ? AND w.item_key > ? AND"
                    + " w.item_key <= ? AND NOT EXISTS (SELECT 1 FROM results r WHERE"
                    + " r.session_id = w.session_id AND r.item_key = w.item_key) ORDER BY"
                    + " w.item_key LIMIT ?")) {
      ps.setObject(1, runId);
      ps.setInt(2, afterKey);
      ps.setInt(3, lastKey);
      ps.setInt(4, limit);
      List<WorkItem> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new WorkItem(
                  rs.getInt("item_key"),
                  DatasetRepository.mapCase(rs),
                  rs.getInt("target_index"),
                  rs.getInt("repeat_index")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw Rows.failure(e);
    }
  }
}
