package dev.llmtestbench.benchmark.api;

import dev.llmtestbench.monitoring.domain.RealtimeEvent;
import dev.llmtestbench.platform.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The JSON of reads about ended runs ({@code GET /benchmarks/{id}}, a page of {@code GET
 * /results?runId=}), kept in memory so that repeated reads skip the database and JSON-B.
 *
 * <p>An ended run (completed, failed, cancelled) and its results do not change until it is
 * restarted. Any event about a run (a restart starts it; events from other servers arrive through
 * {@code EventRelay}) drops its entries at once; an entry also expires after {@code
 * ltb.api.cache.ttl-seconds}, which bounds how stale a change made on another server can be if its
 * event were lost. The cache is bounded by {@code ltb.api.cache.max-bytes} (least recently used
 * entries go first); 0 turns it off. Every response carries a strong {@code ETag} of its body, and
 * {@code If-None-Match} gets a 304.
 */
@ApplicationScoped
public class EndedRunCache {

  /** A read's view and whether its run had ended when it was read (only then is it kept). */
  public record Read(Object view, boolean ended) {}

  /** A JSON body and its strong ETag (quoted). */
  record Answer(byte[] body, String etag) {}

  private record Entry(UUID run, Answer answer, long at) {
    int size() {
      return answer.body().length;
    }
  }

  @Inject
  @ConfigProperty(name = "ltb.api.cache.max-bytes", defaultValue = "33554432")
  long maxBytes;

  @Inject
  @ConfigProperty(name = "ltb.api.cache.ttl-seconds", defaultValue = "10")
  long ttlSeconds;

  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);

  /** How many entries each run has: lets events of uncached runs skip the lock. */
  private final Map<UUID, Integer> runs = new ConcurrentHashMap<>();

  /**
   * Bumped by every event of a run (striped by run): an answer loaded before an event of its run is
   * not kept after it, so a read racing a restart cannot keep the old state.
   */
  private final AtomicLongArray stamps = new AtomicLongArray(64);

  private long bytes;

  /**
   * The cached answer for {@code what} about {@code run}, or the one {@code load} gives (kept when
   * its run had ended), as 200 with the JSON and its ETag, or 304 when {@code ifNoneMatch} names
   * it.
   */
  public Response respond(UUID run, String what, String ifNoneMatch, Supplier<Read> load) {
    Answer a = answer(run, what, load);
    if (ifNoneMatch != null && matches(ifNoneMatch, a.etag())) {
      return Response.notModified().header(HttpHeaders.ETAG, a.etag()).build();
    }
    return Response.ok(a.body(), MediaType.APPLICATION_JSON_TYPE)
        .header(HttpHeaders.ETAG, a.etag())
        .build();
  }

  /**
   * The kept answer for {@code what} about {@code run}, or the one {@code load} gives (kept when
   * its run ended).
   */
  Answer answer(UUID run, String what, Supplier<Read> load) {
    String key = run + " " + what;
    Entry e = maxBytes > 0 ? get(key) : null;
    if (e != null) {
      return e.answer();
    }
    long stamp = stamps.get(stripe(run));
    Read read = load.get();
    byte[] body = Json.write(read.view()).getBytes(StandardCharsets.UTF_8);
    Answer a = new Answer(body, etag(body));
    if (read.ended() && maxBytes > 0) {
      put(key, new Entry(run, a, System.currentTimeMillis()), stamp);
    }
    return a;
  }

  /** Drops every entry about the run of an event (a restart, a status change, new results). */
  void onEvent(@Observes RealtimeEvent event) {
    if (event.sessionId() != null) {
      forget(event.sessionId());
    }
  }

  /** Drops every entry about a run. */
  public void forget(UUID run) {
    stamps.incrementAndGet(stripe(run));
    if (!runs.containsKey(run)) {
      return;
    }
    synchronized (this) {
      for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (e.run().equals(run)) {
          it.remove();
          removed(e);
        }
      }
    }
  }

  /** Runs with entries (for tests). */
  int cachedRuns() {
    return runs.size();
  }

  private static int stripe(UUID run) {
    return run.hashCode() & 63;
  }

  /** Accounts for an entry taken out of {@code entries}; called holding the lock. */
  private void removed(Entry e) {
    bytes -= e.size();
    runs.computeIfPresent(e.run(), (r, n) -> n <= 1 ? null : n - 1);
  }

  synchronized int size() {
    return entries.size();
  }

  private synchronized Entry get(String key) {
    Entry e = entries.get(key);
    if (e != null && System.currentTimeMillis() - e.at() >= ttlSeconds * 1000) {
      entries.remove(key);
      removed(e);
      return null;
    }
    return e;
  }

  private synchronized void put(String key, Entry e, long stamp) {
    if (e.size() > maxBytes / 4 || stamps.get(stripe(e.run())) != stamp) {
      return;
    }
    Entry old = entries.put(key, e);
    if (old != null) {
      removed(old);
    }
    bytes += e.size();
    runs.merge(e.run(), 1, Integer::sum);
    for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        bytes > maxBytes && it.hasNext(); ) {
      Entry eldest = it.next().getValue();
      it.remove();
      removed(eldest);
    }
  }

  static boolean matches(String ifNoneMatch, String quoted) {
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || c.equals(quoted) || c.equals("W/" + quoted)) {
        return true;
      }
    }
    return false;
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\""
          + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27)
          + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
