package dev.llmtestbench.platform.health;

import dev.llmtestbench.benchmark.service.BatchLauncher;
import dev.llmtestbench.benchmark.service.BenchmarkService;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the database answers and the batch job repository can be read. */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  @Inject BatchLauncher batch;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("database");
    try (Connection c = dataSource.getConnection()) {
      boolean valid = c.isValid(2);
      response.withData("database", valid ? "up" : "not answering");
      if (!valid) {
        return response.down().build();
      }
    } catch (SQLException e) {
      return response.down().withData("database", "unreachable: " + e.getMessage()).build();
    }
    try {
      batch.jobInstanceCount(BenchmarkService.JOB_NAME);
      response.withData("jobRepository", "up");
    } catch (RuntimeException e) {
      return response.down().withData("jobRepository", "unavailable: " + e.getMessage()).build();
    }
    return response.up().build();
  }
}
