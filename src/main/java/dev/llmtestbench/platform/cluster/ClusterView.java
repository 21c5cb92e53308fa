package dev.llmtestbench.platform.cluster;

import java.util.List;

/**
 * The live servers as this server saw them at its last heartbeat, fired as a CDI event whenever the
 * set changes (a server joined, stopped or stopped beating).
 *
 * @param self this server's id
 * @param live the live servers' ids, sorted, this server included
 */
public record ClusterView(String self, List<String> live) {

  public ClusterView {
    live = List.copyOf(live);
  }

  /** A view with only this server, before the first heartbeat. */
  public static ClusterView alone(String self) {
    return new ClusterView(self, List.of(self));
  }
}
