package dev.llmtestbench.platform.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmtestbench.platform.rest.ApiException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditUnitsTest {

  @Path("/benchmarks/")
  static class Res {
    @POST
    @Path("/{id: [0-9a-f-]+}/cancel")
    public void cancel() {}

    @POST
    public void create() {}
  }

  @Test
  void routeIsTheTemplateWithoutRegexes() throws Exception {
    assertEquals(
        "/benchmarks/{id}/cancel", AuditRestFilter.route(Res.class, Res.class.getMethod("cancel")));
    assertEquals("/benchmarks", AuditRestFilter.route(Res.class, Res.class.getMethod("create")));
    assertEquals("benchmarks", AuditRestFilter.firstSegment("/benchmarks/{id}/cancel"));
  }

  @Test
  void outcomeFollowsTheStatus() {
    assertEquals("success", AuditEntry.outcomeOf(201));
    assertEquals("denied", AuditEntry.outcomeOf(401));
    assertEquals("denied", AuditEntry.outcomeOf(403));
    assertEquals("failure", AuditEntry.outcomeOf(429));
    assertEquals("error", AuditEntry.outcomeOf(503));
  }

  @Test
  void mutationNamesGiveResourceTypes() {
    assertEquals("benchmarks", AuditedMutationInterceptor.resourceType("createBenchmark"));
    assertEquals("datasets", AuditedMutationInterceptor.resourceType("deleteDatasets"));
    assertEquals("frobnicate", AuditedMutationInterceptor.resourceType("frobnicate"));
    assertEquals("settings", AuditedMutationInterceptor.resourceType("settings"));
  }

  @Test
  void forwardedForIsBelievedOnlyFromTrustedProxies() {
    ClientAddress none = ClientAddress.of(List.of());
    assertEquals("10.0.0.5", none.resolve("10.0.0.5", "203.0.113.1"));

    ClientAddress proxies = ClientAddress.of(List.of("10.0.0.0/8", "192.168.1.1"));
    assertEquals("198.51.100.7", proxies.resolve("10.1.2.3", "198.51.100.7"));
    // The client may prepend anything; the right-most untrusted hop counts.
    assertEquals("198.51.100.7", proxies.resolve("10.1.2.3", "1.2.3.4, 198.51.100.7, 10.9.9.9"));
    // From an untrusted peer the header is ignored.
    assertEquals("198.51.100.9", proxies.resolve("198.51.100.9", "1.2.3.4"));
    // Garbage stops the walk at the last good hop.
    assertEquals("10.9.9.9", proxies.resolve("192.168.1.1", "evil.example, 10.9.9.9"));
    assertEquals("192.168.1.1", proxies.resolve("192.168.1.1", "not-an-ip"));
    assertThrows(IllegalArgumentException.class, () -> ClientAddress.of(List.of("proxy.local")));
  }

  @Test
  void ipv6BlocksMatch() {
    ClientAddress proxies = ClientAddress.of(List.of("fd00::/8"));
    assertEquals("2001:db8::1", proxies.resolve("fd12::1", "2001:db8::1"));
  }

  @Test
  void filtersAreValidatedTogether() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                AuditResource.AuditFilter.parse(
                    null, null, null, null, "maybe", "yesterday", null));
    assertEquals(400, e.status());
    assertEquals(2, e.violations().size());

    List<Object> params = new ArrayList<>();
    String where =
        AuditResource.AuditFilter.parse(
                "alice", " ", null, "x", "denied", "2026-01-01T00:00:00Z", null)
            .where(42L, params);
    assertEquals(
        " WHERE actor = ? AND resource_id = ? AND outcome = ? AND created_at >= ? AND seq < ?",
        where);
    assertEquals(5, params.size());
  }
}
