package dev.llmtestbench.platform.cluster;

import java.time.OffsetDateTime;

/**
 * One server of the registry as {@code GET /api/v1/servers} shows it.
 *
 * @param live whether its last heartbeat is within {@code ltb.cluster.heartbeat-timeout-ms}
 * @param self whether it is the server that answered
 */
public record ServerInfo(
    String serverId,
    String role,
    OffsetDateTime startedAt,
    OffsetDateTime heartbeatAt,
    boolean live,
    boolean self) {}
