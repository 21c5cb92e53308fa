package dev.llmtestbench.benchmark.persistence;

import dev.llmtestbench.benchmark.domain.WorkItem;
import dev.llmtestbench.dataset.persistence.DatasetRepository;
import dev.llmtestbench.platform.database.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

/** A run's plan: dataset x target x repeat expanded into work items with stable keys. */
@ApplicationScoped
public class WorkItemRepository {

  @Inject Jdbc jdbc;

  /**
   * Plans the run; keys follow (case, repeat, target) so each case's targets sit side by side.
   * Re-planning after a restart inserts nothing new. Returns the item count.
   */
  public int plan(UUID runId, UUID datasetId, int targets, int repeats) {
    jdbc.update(
        "INSERT INTO work_items (session_id, item_key, test_case_id, target_index, repeat_index)"
            + " SELECT ?, (row_number() OVER (ORDER BY tc.ordinal, r.rep, t.idx) - 1)::int,"
            + " tc.id, t.idx, r.rep FROM test_cases tc CROSS JOIN generate_series(0, ? - 1) AS"
            + " t(idx) CROSS JOIN generate_series(0, ? - 1) AS r(rep) WHERE tc.dataset_id = ?"
            + " ON CONFLICT DO NOTHING",
        runId,
        targets,
        repeats,
        datasetId);
    return jdbc.one(
            "SELECT count(*) FROM work_items WHERE session_id = ?", rs -> rs.getInt(1), runId)
        .orElse(0);
  }

  /**
   * The next items of a partition's key range that have no result yet, while the run is still
   * running (a cancelled run reads nothing more).
   */
  public List<WorkItem> pending(UUID runId, int afterKey, int lastKey, int limit) {
    return jdbc.list(
        "SELECT w.item_key, w.target_index, w.repeat_index, "
            + DatasetRepository.caseColumns("tc.")
            + " FROM work_items w JOIN test_cases tc ON tc.id = w.test_case_id JOIN"
            + " sessions s ON s.id = w.session_id AND s.status = 'running' WHERE w.session_id = ?"
            + " AND w.item_key > ? AND w.item_key <= ? AND NOT EXISTS (SELECT 1 FROM results r"
            + " WHERE r.session_id = w.session_id AND r.item_key = w.item_key"
            // The same range on the results, or the anti-join reads the run's results from its
            // first key at every page: quadratic over a run (9 ms a page at 10,000 results).
            + " AND r.item_key > ? AND r.item_key <= ?) ORDER BY w.item_key LIMIT ?",
        rs ->
            new WorkItem(
                rs.getInt("item_key"),
                DatasetRepository.mapCase(rs),
                rs.getInt("target_index"),
                rs.getInt("repeat_index")),
        runId,
        afterKey,
        lastKey,
        afterKey,
        lastKey,
        limit);
  }
}
