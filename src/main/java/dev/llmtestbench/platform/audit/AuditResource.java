package dev.llmtestbench.platform.audit;

import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.database.Rows;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.Cursors;
import dev.llmtestbench.platform.rest.Ids;
import dev.llmtestbench.platform.rest.Page;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log, for administrators: newest first, filtered, paginated by cursor. */
@Path("/audit")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

  static final Set<String> OUTCOMES =
      Set.of(AuditEntry.SUCCESS, AuditEntry.FAILURE, AuditEntry.DENIED, AuditEntry.ERROR);

  @Inject Jdbc jdbc;

  @GET
  @RequiresPermission(Permission.ADMIN_ACCESS)
  @Operation(
      summary = "List audit log entries, newest first (admins only)",
      description =
          "Every mutation (REST, GraphQL) and login attempt: who, what, which resource, from"
              + " where, when and how it ended. Filters combine with AND. Entries are written"
              + " asynchronously, within about a second of the request.")
  public Page<AuditView> list(
      @Parameter(description = "the caller's principal name (exact)") @QueryParam("actor")
          String actor,
      @Parameter(description = "the action (exact), e.g. 'POST /benchmarks' or 'login'")
          @QueryParam("action")
          String action,
      @Parameter(description = "the resource type (exact), e.g. benchmarks")
          @QueryParam("resourceType")
          String resourceType,
      @Parameter(description = "the resource id or name (exact)") @QueryParam("resourceId")
          String resourceId,
      @Parameter(description = "success | failure | denied | error") @QueryParam("outcome")
          String outcome,
      @Parameter(description = "entries at or after this instant (ISO-8601)") @QueryParam("since")
          String since,
      @Parameter(description = "entries before this instant (ISO-8601)") @QueryParam("until")
          String until,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    AuditFilter f =
        AuditFilter.parse(actor, action, resourceType, resourceId, outcome, since, until);
    int n = Ids.limit(limit, 100, 1000);
    Long after = Cursors.decode(cursor);
    List<Object> params = new ArrayList<>();
    String where = f.where(after, params);
    params.add(n + 1);
    List<Row> rows =
        jdbc.list(
            "SELECT seq, id, created_at, actor, action, resource_type, resource_id, outcome,"
                + " status, error, host(ip_address) AS ip, user_agent FROM audit_log"
                + where
                + " ORDER BY seq DESC LIMIT ?",
            rs ->
                new Row(
                    rs.getLong("seq"),
                    new AuditView(
                        rs.getString("id"),
                        Rows.time(rs, "created_at"),
                        rs.getString("actor"),
                        rs.getString("action"),
                        rs.getString("resource_type"),
                        rs.getString("resource_id"),
                        rs.getString("outcome"),
                        (Integer) rs.getObject("status"),
                        rs.getString("error"),
                        rs.getString("ip"),
                        rs.getString("user_agent"))),
            params.toArray());
    return Page.of(rows, n, Row::seq).map(Row::view);
  }

  private record Row(long seq, AuditView view) {}

  /** The validated filters of a query; a 400 naming every bad one. */
  record AuditFilter(
      String actor,
      String action,
      String resourceType,
      String resourceId,
      String outcome,
      Instant since,
      Instant until) {

    static AuditFilter parse(
        String actor,
        String action,
        String resourceType,
        String resourceId,
        String outcome,
        String since,
        String until) {
      List<ApiException.Violation> violations = new ArrayList<>();
      String o = blankToNull(outcome);
      if (o != null && !OUTCOMES.contains(o)) {
        violations.add(
            new ApiException.Violation(
                "outcome", "must be one of success, failure, denied, error; was '" + o + "'"));
      }
      Instant s = instant("since", since, violations);
      Instant u = instant("until", until, violations);
      if (s != null && u != null && !s.isBefore(u)) {
        violations.add(new ApiException.Violation("until", "must be after since"));
      }
      if (!violations.isEmpty()) {
        throw ApiException.badRequest(
            violations.size() == 1
                ? violations.get(0).field() + " " + violations.get(0).message() + "."
                : violations.size() + " filters are invalid; see violations.",
            violations);
      }
      return new AuditFilter(
          blankToNull(actor),
          blankToNull(action),
          blankToNull(resourceType),
          blankToNull(resourceId),
          o,
          s,
          u);
    }

    String where(Long beforeSeq, List<Object> params) {
      List<String> clauses = new ArrayList<>();
      add(clauses, params, "actor = ?", actor);
      add(clauses, params, "action = ?", action);
      add(clauses, params, "resource_type = ?", resourceType);
      add(clauses, params, "resource_id = ?", resourceId);
      add(clauses, params, "outcome = ?", outcome);
      add(clauses, params, "created_at >= ?", since == null ? null : Timestamp.from(since));
      add(clauses, params, "created_at < ?", until == null ? null : Timestamp.from(until));
      add(clauses, params, "seq < ?", beforeSeq);
      return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    private static void add(List<String> clauses, List<Object> params, String sql, Object v) {
      if (v != null) {
        clauses.add(sql);
        params.add(v);
      }
    }

    private static Instant instant(
        String field, String value, List<ApiException.Violation> violations) {
      String v = blankToNull(value);
      if (v == null) {
        return null;
      }
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e) {
        violations.add(
            new ApiException.Violation(
                field,
                "must be an ISO-8601 instant such as 2026-11-22T10:00:00Z; was '" + v + "'"));
        return null;
      }
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s.strip();
    }
  }
}
