package dev.llmtestbench.platform.audit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The audit log: records mutations and logins in {@code audit_log} without slowing the request.
 *
 * <p>{@link #record} only offers the entry to a bounded in-memory queue and returns; a background
 * task writes the queue in batches (one multi-row insert per flush). When the queue is full the
 * entry is dropped, counted ({@link #dropped()}) and logged at most once a minute: a request is
 * never blocked or failed by auditing. Entries queued when the server stops are written at
 * shutdown; a killed server loses at most one flush interval of entries.
 *
 * <p>Other parts of the server (e.g. the login endpoint) call {@link #login} or {@link #record}:
 *
 * <pre>{@code
 * @Inject AuditLog audit;
 * audit.login(username, succeeded, status, succeeded ? null : "invalid-credentials", request);
 * }</pre>
 *
 * Never pass a secret (password, token, API key) in any field.
 */
@ApplicationScoped
public class AuditLog {

  /**
   * A request attribute set by a resource that records its own audit entry (the login, with the
   * name tried), so that the REST filter does not record the call again.
   */
  public static final String RECORDED = "ltb.audit.recorded";

  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
  private static final int BATCH = 500;

  @Resource(lookup = "jdbc/llmtestbench")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject ClientAddress clientAddress;
  @Inject MetricRegistry metrics;

  @Inject
  @ConfigProperty(name = "ltb.audit.enabled", defaultValue = "true")
  boolean enabled;

  @Inject
  @ConfigProperty(name = "ltb.audit.queue-capacity", defaultValue = "10000")
  int queueCapacity;

  @Inject
  @ConfigProperty(name = "ltb.audit.flush-interval-ms", defaultValue = "200")
  long flushIntervalMs;

  @Inject
  @ConfigProperty(name = "ltb.audit.retention-days", defaultValue = "365")
  int retentionDays;

  private BlockingQueue<AuditEntry> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private volatile long lastDropLog;
  private volatile long lastFailureLog;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final Object flushLock = new Object();

  @PostConstruct
  void start() {
    queue = new ArrayBlockingQueue<>(Math.max(1, queueCapacity));
    if (!enabled) {
      return;
    }
    tasks.add(
        scheduler.scheduleWithFixedDelay(
            this::flushQuietly, flushIntervalMs, flushIntervalMs, TimeUnit.MILLISECONDS));
    if (retentionDays > 0) {
      tasks.add(scheduler.scheduleWithFixedDelay(this::purgeQuietly, 1, 60, TimeUnit.MINUTES));
    }
  }

  @PreDestroy
  void stop() {
    tasks.forEach(t -> t.cancel(false));
    flushQuietly();
  }

  /** Queues an entry; never blocks, never throws. */
  public void record(AuditEntry entry) {
    if (!enabled || entry == null) {
      return;
    }
    if (!queue.offer(entry.bounded())) {
      long n = dropped.incrementAndGet();
      metrics.counter("ltb_audit_dropped").inc();
      long now = System.currentTimeMillis();
      if (now - lastDropLog > 60_000) {
        lastDropLog = now;
        LOG.warning(
            "Audit queue full (ltb.audit.queue-capacity="
                + queueCapacity
                + "): "
                + n
                + " audit entries dropped so far");
      }
    }
  }

  /**
   * Records an action of the caller of {@code request} (actor, IP and user agent from the request).
   */
  public void record(
      HttpServletRequest request,
      String action,
      String resourceType,
      String resourceId,
      int status,
      String error) {
    Principal p = request == null ? null : request.getUserPrincipal();
    record(
        new AuditEntry(
            p == null ? null : p.getName(),
            action,
            resourceType,
            resourceId,
            AuditEntry.outcomeOf(status),
            status,
            error,
            request == null ? null : clientAddress.of(request),
            request == null ? null : request.getHeader("User-Agent"),
            Instant.now()));
  }

  /**
   * Records a login attempt: {@code username} is the name the client gave (the actor, whether or
   * not it exists), {@code status} what the login answered, {@code error} a short reason such as
   * {@code invalid-credentials} (never the password).
   */
  public void login(
      String username, boolean succeeded, int status, String error, HttpServletRequest request) {
    record(
        new AuditEntry(
            username,
            "login",
            "auth",
            null,
            succeeded ? AuditEntry.SUCCESS : AuditEntry.outcomeOf(status < 400 ? 401 : status),
            status,
            error,
            request == null ? null : clientAddress.of(request),
            request == null ? null : request.getHeader("User-Agent"),
            Instant.now()));
  }

  /** Entries dropped because the queue was full, since start. */
  public long dropped() {
    return dropped.get();
  }

  /** Entries written since start. */
  public long written() {
    return written.get();
  }

  /** Writes everything queued now; for tests and shutdown (the scheduler does it otherwise). */
  public void flush() {
    synchronized (flushLock) {
      List<AuditEntry> batch = new ArrayList<>(BATCH);
      while (queue.drainTo(batch, BATCH) > 0) {
        try {
          insert(batch);
          written.addAndGet(batch.size());
        } catch (SQLException | RuntimeException e) {
          // The database is away: keep the entries for the next flush if there is room, and
          // say so at most once a minute.
          long now = System.currentTimeMillis();
          if (now - lastFailureLog > 60_000) {
            lastFailureLog = now;
            LOG.log(Level.WARNING, "Audit entries not written yet: " + e.getMessage());
          }
          for (AuditEntry a : batch) {
            if (!queue.offer(a)) {
              dropped.incrementAndGet();
            }
          }
          return;
        }
        batch.clear();
      }
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Audit flush failed", e);
    }
  }

  private void insert(List<AuditEntry> batch) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO audit_log (actor, action, resource_type, resource_id, outcome, status,"
                + " error, ip_address, user_agent, created_at) VALUES ");
    for (int i = 0; i < batch.size(); i++) {
      sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?::inet,?,?)");
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int p = 1;
      for (AuditEntry e : batch) {
        ps.setString(p++, e.actor());
        ps.setString(p++, e.action());
        ps.setString(p++, e.resourceType());
        ps.setString(p++, e.resourceId());
        ps.setString(p++, e.outcome());
        if (e.status() == null) {
          ps.setNull(p++, Types.INTEGER);
        } else {
          ps.setInt(p++, e.status());
        }
        ps.setString(p++, e.error());
        ps.setString(p++, ClientAddress.literal(e.ip()) == null ? null : e.ip());
        ps.setString(p++, e.userAgent());
        ps.setTimestamp(p++, Timestamp.from(e.at()));
      }
      ps.executeUpdate();
    }
  }

  private void purgeQuietly() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "DELETE FROM audit_log WHERE created_at < NOW() - make_interval(days => ?)")) {
      ps.setInt(1, retentionDays);
      int n = ps.executeUpdate();
      if (n > 0) {
        LOG.info("Audit log retention (" + retentionDays + " days): " + n + " old entries deleted");
      }
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "Audit log retention skipped: " + e.getMessage());
    }
  }
}
