package dev.llmtestbench.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.platform.rest.ApiException;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who may create an API key, for whom and with which role (AuthResource.keyGrant). */
class ApiKeyGrantTest {

  private static Caller local(Role role) {
    return new Caller("ann", UUID.randomUUID(), role, Set.of(), "local", "jti", null);
  }

  private static Caller idp(Role role) {
    return new Caller("bob", null, role, Set.of("it-users"), "idp", null, null);
  }

  private static int refused(Caller c, String role) {
    return assertThrows(ApiException.class, () -> AuthResource.keyGrant(c, role)).status();
  }

  @Test
  void aLocalAccountShouldGetALocalKeyWithItsRoleOrANarrowerOne() {
    AuthResource.KeyGrant g = AuthResource.keyGrant(local(Role.USER), null);
    assertFalse(g.idp());
    assertEquals(Role.USER, g.role());
    assertEquals(Role.VIEWER, AuthResource.keyGrant(local(Role.USER), "viewer").role());
    assertEquals(403, refused(local(Role.USER), "admin"));
  }

  @Test
  void anIdpIdentityShouldGetAnIdpKeyWithItsRoleOrANarrowerOne() {
    AuthResource.KeyGrant g = AuthResource.keyGrant(idp(Role.USER), null);
    assertTrue(g.idp());
    assertEquals(Role.USER, g.role());
    assertEquals(Role.VIEWER, AuthResource.keyGrant(idp(Role.USER), "viewer").role());
    assertEquals(Role.USER, AuthResource.keyGrant(idp(Role.ADMIN), "user").role());
    assertEquals(403, refused(idp(Role.VIEWER), "user"));
    assertEquals(403, refused(idp(Role.USER), "admin"));
  }

  @Test
  void keysShouldNotBeMadeWithKeysWithoutARoleOrWithAnUnknownRole() {
    Caller localKey =
        new Caller("ann", UUID.randomUUID(), Role.USER, Set.of(), "api-key", "k", null);
    Caller idpKey = new Caller("bob", null, Role.USER, Set.of("g"), "api-key", "k", null);
    assertEquals(403, refused(localKey, null));
    assertEquals(403, refused(idpKey, null));
    assertEquals(403, refused(idp(null), null));
    assertEquals(400, refused(idp(Role.ADMIN), "root"));
  }

  @Test
  void anIdpKeyShouldBeOwnedUnderTheSameKeyAsItsIdentitysRuns() {
    Caller idpKey = new Caller("bob", null, Role.VIEWER, Set.of("it-users"), "api-key", "k", null);
    assertEquals(Visibility.ownerKey(idp(Role.USER)), Visibility.ownerKey(idpKey));
    assertEquals("idp:bob", Visibility.ownerKey(idpKey));
  }
}
