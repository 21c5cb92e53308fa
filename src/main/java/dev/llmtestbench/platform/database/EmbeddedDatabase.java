package dev.llmtestbench.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts an embedded PostgreSQL when no external database is configured ({@code db.embedded}),
 * keeping its data under the server's output directory so it survives restarts.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
public class EmbeddedDatabase {

  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());

  private EmbeddedPostgres postgres;

  @PostConstruct
  void start() {
    // EJB startup singletons run before CDI is fully up, so config is read programmatically.
    Config config = ConfigProvider.getConfig();
    if (!config.getOptionalValue("db.embedded", Boolean.class).orElse(true)) {
      LOG.info("db.embedded=false: using the external PostgreSQL configured in server.xml.");
      return;
    }
    int port = config.getOptionalValue("db.port", Integer.class).orElse(5532);
    String database = config.getOptionalValue("db.name", String.class).orElse("llmtestbench");
    Path dataDir =
        Path.of(
            config
                .getOptionalValue("db.embedded.data.dir", String.class)
                .orElse(System.getProperty("java.io.tmpdir") + "/llmtestbench-postgres"));
    try {
      Files.createDirectories(dataDir);
      stopOrphan(dataDir);
      long t0 = System.nanoTime();
      postgres =
          EmbeddedPostgres.builder()
              .setPort(port)
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              // zonky turns durability off for throwaway test databases; ours keeps real data.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "100")
              // A dispatcher server (ltb.role=dispatcher) hands each partition to the executors in
              // one XA transaction over the job repository and the messaging engine.
              .setServerConfig("max_prepared_transactions", "100")
              .start();
      createDatabaseIfMissing(database);
      LOG.info(
          () ->
              String.format(
                  "Embedded PostgreSQL started on 127.0.0.1:%d in %d ms, data in %s",
                  port, (System.nanoTime() - t0) / 1_000_000, dataDir));
    } catch (IOException | SQLException e) {
      throw new IllegalStateException(
          "Could not start the embedded PostgreSQL on port "
              + port
              + " with data in "
              + dataDir
              + ". Free the port (db.port) or configure an external database (db.embedded=false).",
          e);
    }
  }

  private void createDatabaseIfMissing(String database) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement exists =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, database);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new SQLException("Invalid database name '" + database + "' (db.name).");
      }
      try (Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE " + database);
      }
    }
  }

  /**
   * After a kill -9 of the JVM the postgres process survives; stop it if it serves this data
   * directory, so the new server can start its own.
   */
  private static void stopOrphan(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.size() < 2) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return;
    }
    String command = process.get().info().command().orElse("");
    Path recordedDir = Path.of(lines.get(1).trim());
    if (!command.endsWith("postgres") || !Files.isSameFile(recordedDir, dataDir)) {
      return;
    }
    LOG.warning("Stopping orphaned embedded PostgreSQL (pid " + pid + ") left by a previous JVM.");
    process.get().destroy();
    try {
      process.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      process.get().destroyForcibly();
    }
  }

  @PreDestroy
  void stop() {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        LOG.warning("Embedded PostgreSQL did not stop cleanly: " + e.getMessage());
      }
    }
  }
}
