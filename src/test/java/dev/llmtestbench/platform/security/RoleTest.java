package dev.llmtestbench.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleTest {

  @Test
  void shouldGrantTheSeedsPermissions() {
    for (Permission p : Permission.values()) {
      assertTrue(Role.ADMIN.grants(p));
    }
    assertEquals(
        Set.of(Permission.RUN_BENCHMARK, Permission.VIEW_RESULTS, Permission.MANAGE_PROVIDERS),
        Set.of(Permission.values()).stream()
            .filter(Role.USER::grants)
            .collect(java.util.stream.Collectors.toSet()));
    assertTrue(Role.VIEWER.grants(Permission.VIEW_RESULTS));
    assertFalse(Role.VIEWER.grants(Permission.RUN_BENCHMARK));
  }

  @Test
  void shouldOrderRoles() {
    assertEquals(Role.ADMIN, Role.widest(Role.USER, Role.ADMIN));
    assertEquals(Role.VIEWER, Role.narrowest(Role.ADMIN, Role.VIEWER));
    assertNull(Role.narrowest(Role.ADMIN, null));
    assertTrue(Role.ADMIN.covers(Role.VIEWER));
    assertFalse(Role.VIEWER.covers(Role.USER));
    assertEquals(Role.USER, Role.parse(" User "));
    assertNull(Role.parse("root"));
  }

  @Test
  void shouldReadGroupsAtADottedClaimPath() {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .claim("groups", List.of("a", "b"))
            .claim("realm_access", Map.of("roles", List.of("r1")))
            .claim("single", "s")
            .build();
    assertEquals(Set.of("a", "b"), Authenticator.groups(claims, "groups"));
    assertEquals(Set.of("r1"), Authenticator.groups(claims, "realm_access.roles"));
    assertEquals(Set.of("s"), Authenticator.groups(claims, "single"));
    assertEquals(Set.of(), Authenticator.groups(claims, "missing.path"));
  }
}
