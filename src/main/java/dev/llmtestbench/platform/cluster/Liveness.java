package dev.llmtestbench.platform.cluster;

import java.util.Set;

/**
 * Two consecutive readings of the registry, to tell a lost server from one that merely missed a
 * beat: a server is lost only if it was not live in either reading. After a database outage every
 * server's heartbeat is old at the first reading; the servers that are still running have beaten
 * again by the second.
 *
 * @param previous the servers live at the reading before, or null if that reading failed or there
 *     was none
 * @param current the servers live now, or null if the last reading failed or there was none
 */
record Liveness(Set<String> previous, Set<String> current) {

  static final Liveness NONE = new Liveness(null, null);

  /** The readings after one more: {@code now} becomes current, current becomes previous. */
  Liveness next(Set<String> now) {
    return new Liveness(current, Set.copyOf(now));
  }

  /** After a failed reading: nothing can be judged lost until two readings in a row succeed. */
  Liveness broken() {
    return NONE;
  }

  /** Whether {@code server} was live in neither of the two last readings (never when unknown). */
  boolean lost(String server) {
    return server != null
        && previous != null
        && current != null
        && !previous.contains(server)
        && !current.contains(server);
  }
}
