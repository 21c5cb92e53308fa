package dev.llmtestbench.benchmark.service;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * At start, a single server marks runs it left pending or running (its JVM stopped mid-run) as
 * failed with a reason, so none stays "running" forever; their finished results are kept. Turn off
 * with {@code ltb.benchmark.fail-interrupted-runs-on-start=false} where several servers share the
 * database.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigration")
@TransactionManagement(TransactionManagementType.BEAN)
public class InterruptedRunSweeper {

  private static final Logger LOG = Logger.getLogger(InterruptedRunSweeper.class.getName());

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  @PostConstruct
  void sweep() {
    if (!ConfigProvider.getConfig()
        .getOptionalValue("ltb.benchmark.fail-interrupted-runs-on-start", Boolean.class)
        .orElse(true)) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE sessions SET status = 'failed', completed_at = NOW(), status_reason ="
                    + " 'Interrupted: the server stopped during the run. Finished results are"
                    + " kept; start a new run for the rest.' WHERE status IN ('pending',"
                    + " 'running')")) {
      int n = ps.executeUpdate();
      if (n > 0) {
        LOG.warning(n + " run(s) interrupted by the last server stop were marked failed.");
      }
    } catch (SQLException e) {
      LOG.warning("Could not check for interrupted runs: " + e.getMessage());
    }
  }
}
