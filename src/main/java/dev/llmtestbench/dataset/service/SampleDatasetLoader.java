package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.domain.Dataset;
import dev.llmtestbench.evaluation.domain.AssertionSpec;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Loads the bundled GSM8K sample once, at the first start against a database (a user who deletes it
 * does not get it back). Disable with {@code ltb.samples.load=false}.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigration")
@TransactionManagement(TransactionManagementType.BEAN)
public class SampleDatasetLoader {

  static final String NAME = "gsm8k-sample";
  static final String TEMPLATE =
      "Solve the following grade-school math problem. Think step by step, then give the final"
          + " answer on its own last line as '#### <number>'.\n\nQuestion: {{question}}";
  private static final Logger LOG = Logger.getLogger(SampleDatasetLoader.class.getName());

  @Inject DatasetService datasets;

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  @PostConstruct
  void load() {
    if (!ConfigProvider.getConfig()
        .getOptionalValue("ltb.samples.load", Boolean.class)
        .orElse(true)) {
      return;
    }
    try {
      if (!claim()) {
        return;
      }
      try (InputStream in =
          SampleDatasetLoader.class.getResourceAsStream("/samples/gsm8k/gsm8k-sample.jsonl")) {
        var d =
            datasets.importJsonl(
                NAME,
                "First 50 problems of the GSM8K test set (OpenAI, MIT license), scored by the"
                    + " final numeric answer.",
                TEMPLATE,
                "answer",
                List.of(new AssertionSpec("numeric-answer", null, null, null, null, null, null)),
                List.of("sample", "math", "gsm8k"),
                Dataset.Sharing.EVERYONE,
                new InputStreamReader(in, StandardCharsets.UTF_8));
        LOG.info(
            "Loaded sample dataset " + NAME + " (" + d.testCaseCount() + " cases), id " + d.id());
      }
    } catch (SQLException | java.io.IOException | RuntimeException e) {
      // A missing sample must not stop the server; the log says why.
      LOG.log(Level.WARNING, "Could not load the sample dataset " + NAME, e);
    }
  }

  /** Claims the one-time load; concurrent first starts of several servers load it once. */
  private boolean claim() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO settings (key, value) VALUES ('samples.gsm8k.loaded', 'true'::jsonb)"
                    + " ON CONFLICT (key) DO NOTHING")) {
      return ps.executeUpdate() == 1;
    }
  }
}
