package dev.llmtestbench.provider.resilience;

import java.util.List;
import java.util.TreeSet;

/**
 * Splits a cluster-wide figure (a provider's {@code concurrency.max}) among the live servers, so
 * that the servers' shares add up to it: each gets the integer quotient, and the first servers in
 * id order one more each until the remainder is used up. No server gets less than one, so with
 * fewer permits than servers the cluster may hold one call per server.
 */
public final class ClusterShare {

  private ClusterShare() {}

  /**
   * {@code self}'s share of {@code total} among {@code live} (the live servers' ids; {@code self}
   * counts even if it is missing, as before its first heartbeat).
   */
  public static int of(int total, List<String> live, String self) {
    TreeSet<String> servers = new TreeSet<>(live);
    servers.add(self);
    int n = servers.size();
    int rank = servers.headSet(self).size();
    int share = total / n + (rank < total % n ? 1 : 0);
    return Math.max(1, share);
  }
}
