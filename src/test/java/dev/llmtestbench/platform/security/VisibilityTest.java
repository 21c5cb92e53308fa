package dev.llmtestbench.platform.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VisibilityTest {

  private static Caller local(String name, Role role) {
    return new Caller(name, UUID.randomUUID(), role, Set.of(), "local", null, null);
  }

  private static Caller idp(String name, Role role, String... groups) {
    return new Caller(name, null, role, Set.of(groups), "idp", null, null);
  }

  @Test
  void ownerKeysShouldKeepLocalAndIdpIdentitiesApart() {
    assertEquals("local:ann", Visibility.ownerKey(local("ann", Role.USER)));
    assertEquals("idp:ann", Visibility.ownerKey(idp("ann", Role.USER)));
    assertFalse(Visibility.of(idp("ann", Role.USER)).canRead("local:ann", null));
  }

  @Test
  void anOwnerShouldReadAndChangeTheirOwnOnly() {
    Visibility ann = Visibility.of(local("ann", Role.USER));
    assertTrue(ann.canRead("local:ann", null));
    assertTrue(ann.canChange("local:ann"));
    assertFalse(ann.canRead("local:bob", null));
    assertFalse(ann.canChange("local:bob"));
    assertFalse(ann.canRead(null, null), "rows from before ownership are admins' only");
  }

  @Test
  void aGroupMemberShouldReadWhatIsSharedButNotChangeIt() {
    Visibility member = Visibility.of(idp("carl", Role.VIEWER, "team-a"));
    assertTrue(member.canRead("local:ann", "team-a"));
    assertFalse(member.canChange("local:ann"));
    assertFalse(member.canRead("local:ann", "team-b"));
    assertFalse(member.canRead("local:ann", null));
  }

  @Test
  void anAdminShouldSeeAndChangeEverything() {
    Visibility admin = Visibility.of(local("root", Role.ADMIN));
    assertTrue(admin.canRead("local:ann", null));
    assertTrue(admin.canRead(null, null));
    assertTrue(admin.canChange("idp:bob"));
  }

  @Test
  void noCallerShouldSeeNothing() {
    Visibility none = Visibility.of((Caller) null);
    assertFalse(none.canRead(null, null));
    assertFalse(none.canRead("local:ann", "team-a"));
    assertFalse(Visibility.of(() -> "not-a-caller").canRead(null, null));
  }

  @Test
  void theSqlParametersShouldMatchThePredicate() {
    Visibility v = Visibility.of(idp("carl", Role.USER, "team-a"));
    assertArrayEquals(new Object[] {false, "idp:carl", List.of("team-a")}, v.params());
    assertEquals(3, Visibility.PREDICATE.chars().filter(c -> c == '?').count());
  }

  @Test
  void groupNamesShouldBeThoseOfIdpClaimsAndNothingElse() {
    for (String g : List.of("team-a", "/org/team_a", "llm-bench-admins", "a@b.c", "x:y+z")) {
      assertTrue(Visibility.validGroup(g), g);
    }
    for (String g : new String[] {null, "", "a b", "a,b", "a'b", "x".repeat(256)}) {
      assertFalse(Visibility.validGroup(g), String.valueOf(g));
    }
  }

  @Test
  void aLocalMemberOfTheSharedGroupShouldReadButNotChange() {
    Caller ann =
        new Caller("ann", UUID.randomUUID(), Role.USER, Set.of("team-a"), "local", null, null);
    Visibility v = Visibility.of(ann);
    assertTrue(v.canRead("local:bob", "team-a"));
    assertFalse(v.canChange("local:bob"));
    assertTrue(v.mayShareWith("team-a"));
    assertFalse(v.mayShareWith("team-b"));
  }
}
