package dev.llmtestbench.platform.security;

import java.util.List;
import java.util.Set;

/**
 * The ownership rule, in one place: an admin sees everything; anyone else sees what they own and
 * what is shared with one of their groups; only the owner or an admin changes a resource. An
 * anonymous caller (or a batch thread) sees nothing through this rule.
 *
 * @param all whether every resource is visible (admins)
 * @param owner the caller's owner key ({@link #ownerKey}), or null
 * @param groups the caller's groups
 */
public record Visibility(boolean all, String owner, List<String> groups) {

  public Visibility {
    groups = groups == null ? List.of() : List.copyOf(groups);
  }

  /** The rule for a principal: a {@link Caller}, or nothing visible for anything else. */
  public static Visibility of(java.security.Principal p) {
    return of(p instanceof Caller c ? c : null);
  }

  public static Visibility of(Caller c) {
    if (c == null) {
      return new Visibility(false, null, List.of());
    }
    return new Visibility(c.role() == Role.ADMIN, ownerKey(c), List.copyOf(c.groups()));
  }

  /**
   * The key stored as a resource's owner: {@code local:<username>} for local accounts (and their
   * API keys), {@code idp:<name>} for identities of the corporate IdP, so the two never collide.
   */
  public static String ownerKey(Caller c) {
    return (c.userId() != null ? "local:" : "idp:") + c.name();
  }

  public boolean canRead(String resourceOwner, String sharedGroup) {
    return all
        || (owner != null && owner.equals(resourceOwner))
        || (sharedGroup != null && groups.contains(sharedGroup));
  }

  public boolean canChange(String resourceOwner) {
    return all || (owner != null && owner.equals(resourceOwner));
  }

  /**
   * The SQL form of {@link #canRead} over a table with {@code owner} and {@code shared_group}
   * columns; its three parameters are {@link #params()}.
   */
  public static final String PREDICATE =
      "(?::boolean OR owner = ?::text OR shared_group = ANY(?::text[]))";

  public Object[] params() {
    return new Object[] {all, owner, groups};
  }

  /** Whether {@code group} may be named as the group a resource is shared with by this caller. */
  public boolean mayShareWith(String group) {
    return group == null || all || Set.copyOf(groups).contains(group);
  }

  /** What a group name may hold, for error messages. */
  public static final String GROUP_SYNTAX =
      "1-255 letters, digits and . @ + - _ / :, as the IdP's group claim spells it";

  /** Whether {@code g} is a group name a local account may be in and a resource shared with. */
  public static boolean validGroup(String g) {
    return g != null && !g.isEmpty() && g.length() <= 255 && g.matches("[\\w.@+/:-]+");
  }
}
