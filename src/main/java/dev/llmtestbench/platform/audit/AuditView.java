package dev.llmtestbench.platform.audit;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.OffsetDateTime;

/** One audit log entry as the API shows it. */
@JsonbPropertyOrder({
  "id",
  "time",
  "actor",
  "action",
  "resourceType",
  "resourceId",
  "outcome",
  "status",
  "error",
  "ip",
  "userAgent"
})
public record AuditView(
    String id,
    OffsetDateTime time,
    String actor,
    String action,
    String resourceType,
    String resourceId,
    String outcome,
    Integer status,
    String error,
    String ip,
    String userAgent) {}
