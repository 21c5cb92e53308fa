package dev.llmtestbench.platform.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.platform.database.Rows;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {

  @Test
  void shouldTellDatabaseOutageFromOtherSqlFailures() {
    // What PostgreSQL's driver reports when the server is gone (Liberty wraps it in DSRA0010E).
    assertTrue(
        ProblemMappers.isDatabaseUnavailable(
            Rows.failure(new SQLException("Connection to localhost:5532 refused.", "08001"))));
    assertTrue(
        ProblemMappers.isDatabaseUnavailable(
            new IllegalStateException(new SQLTransientConnectionException("pool timeout"))));
    assertFalse(
        ProblemMappers.isDatabaseUnavailable(
            Rows.failure(new SQLException("duplicate key value", "23505"))));
    assertFalse(ProblemMappers.isDatabaseUnavailable(new IllegalStateException("boom")));
  }
}
