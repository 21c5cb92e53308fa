package dev.llmtestbench.platform.cluster;

import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.database.Rows;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The servers sharing this database: each server keeps a row in {@code servers} with its id, role
 * and a heartbeat (the database's clock) renewed every {@code ltb.cluster.heartbeat-interval-ms},
 * and deletes it when it stops cleanly. A server whose heartbeat is older than {@code
 * ltb.cluster.heartbeat-timeout-ms} is not live. Each heartbeat reads the registry again and fires
 * a {@link ClusterView} when the live set changed (the per-provider concurrency shares follow it).
 */
@ApplicationScoped
public class ServerRegistry {

  private static final Logger LOG = Logger.getLogger(ServerRegistry.class.getName());

  @Resource ManagedScheduledExecutorService scheduler;
  @Inject Jdbc jdbc;
  @Inject Event<ClusterView> changes;

  @Inject
  @ConfigProperty(name = "ltb.server.id")
  Optional<String> configuredServerId;

  @Inject
  @ConfigProperty(name = "ltb.role", defaultValue = "standalone")
  String role;

  @Inject
  @ConfigProperty(name = "ltb.cluster.heartbeat-interval-ms", defaultValue = "10000")
  long intervalMs;

  @Inject
  @ConfigProperty(name = "ltb.cluster.heartbeat-timeout-ms", defaultValue = "60000")
  long timeoutMs;

  private final OffsetDateTime startedAt = OffsetDateTime.now();
  private volatile String serverId;
  private volatile ClusterView view;
  private volatile Liveness liveness = Liveness.NONE;
  private volatile boolean failing;
  private ScheduledFuture<?> task;

  /** Registers this server and starts its heartbeat (called once at application start). */
  synchronized void start() {
    if (timeoutMs <= intervalMs) {
      LOG.warning(
          "ltb.cluster.heartbeat-timeout-ms ("
              + timeoutMs
              + ") should be several times ltb.cluster.heartbeat-interval-ms ("
              + intervalMs
              + "); live servers may be taken for lost.");
    }
    beat();
    task =
        scheduler.scheduleWithFixedDelay(
            this::beat, intervalMs, Math.max(100, intervalMs), TimeUnit.MILLISECONDS);
  }

  /** Stops the heartbeat and removes this server's row (clean stop). */
  synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
    try {
      jdbc.update("DELETE FROM servers WHERE server_id = ?", serverId());
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Could not remove this server from the registry", e);
    }
  }

  /** This server's identity, recorded on every result it produces and in the registry. */
  public String serverId() {
    if (serverId == null) {
      serverId =
          configuredServerId.filter(s -> !s.isBlank()).orElseGet(ServerRegistry::hostAndName);
    }
    return serverId;
  }

  private static String hostAndName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    String server = System.getProperty("wlp.server.name");
    return host + "/" + (server != null ? server : ProcessHandle.current().pid());
  }

  public String role() {
    return role;
  }

  /** The live servers at the last heartbeat (this server alone before the first). */
  public ClusterView view() {
    ClusterView v = view;
    return v != null ? v : ClusterView.alone(serverId());
  }

  /**
   * Whether {@code server} was not live at this server's last two heartbeats in a row (so neither a
   * database outage nor a missed beat makes a running server look lost). Never this server.
   */
  public boolean lost(String server) {
    return !serverId().equals(server) && liveness.lost(server);
  }

  /** Whether {@code server}'s heartbeat is within the timeout now, asking the database. */
  public boolean liveNow(String server) {
    return serverId().equals(server)
        || jdbc.one(
                "SELECT heartbeat_at >= now() - make_interval(secs => ?) FROM servers"
                    + " WHERE server_id = ?",
                rs -> rs.getBoolean(1),
                timeoutMs / 1000.0,
                server)
            .orElse(false);
  }

  /** Every registered server, live or not, ordered by id. */
  public List<ServerInfo> servers() {
    String self = serverId();
    return jdbc.list(
        "SELECT server_id, role, started_at, heartbeat_at,"
            + " heartbeat_at >= now() - make_interval(secs => ?) AS live"
            + " FROM servers ORDER BY server_id",
        rs ->
            new ServerInfo(
                rs.getString("server_id"),
                rs.getString("role"),
                Rows.time(rs, "started_at"),
                Rows.time(rs, "heartbeat_at"),
                rs.getBoolean("live"),
                self.equals(rs.getString("server_id"))),
        timeoutMs / 1000.0);
  }

  /** One heartbeat: renew this server's row, read the live set, tell observers if it changed. */
  void beat() {
    try {
      jdbc.update(
          "INSERT INTO servers (server_id, role, started_at, heartbeat_at) VALUES (?, ?, ?, now())"
              + " ON CONFLICT (server_id) DO UPDATE SET role = EXCLUDED.role,"
              + " started_at = EXCLUDED.started_at, heartbeat_at = now()",
          serverId(),
          role,
          startedAt);
      Set<String> live = new HashSet<>();
      for (ServerInfo s : servers()) {
        if (s.live() || s.self()) {
          live.add(s.serverId());
        }
      }
      live.add(serverId());
      liveness = liveness.next(live);
      ClusterView now = new ClusterView(serverId(), live.stream().sorted().toList());
      ClusterView before = view;
      view = now;
      if (failing) {
        failing = false;
        LOG.info("Server heartbeat recorded again.");
      }
      if (before == null || !before.live().equals(now.live())) {
        LOG.info("Live servers: " + now.live());
        changes.fire(now);
      }
    } catch (RuntimeException e) {
      liveness = liveness.broken();
      if (!failing) {
        failing = true;
        LOG.warning("Could not record this server's heartbeat: " + e);
      }
    }
  }
}
