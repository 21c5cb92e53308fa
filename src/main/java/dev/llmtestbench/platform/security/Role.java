package dev.llmtestbench.platform.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The seeds' roles and their permissions (001 section 8.2), from the widest to the narrowest. */
public enum Role {
  ADMIN(EnumSet.allOf(Permission.class)),
  USER(EnumSet.of(Permission.RUN_BENCHMARK, Permission.VIEW_RESULTS, Permission.MANAGE_PROVIDERS)),
  VIEWER(EnumSet.of(Permission.VIEW_RESULTS));

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  public boolean grants(Permission p) {
    return permissions.contains(p);
  }

  /** The name stored in the database and shown in the API: admin, user, viewer. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code s} (case-insensitive), or null. */
  public static Role parse(String s) {
    if (s == null) {
      return null;
    }
    for (Role r : values()) {
      if (r.id().equalsIgnoreCase(s.trim())) {
        return r;
      }
    }
    return null;
  }

  /** Whether this role has every permission of {@code other}. */
  public boolean covers(Role other) {
    return other != null && ordinal() <= other.ordinal();
  }

  /** The wider of two roles (either may be null). */
  public static Role widest(Role a, Role b) {
    if (a == null) {
      return b;
    }
    return b == null || a.ordinal() <= b.ordinal() ? a : b;
  }

  /** The narrower of two roles (either may be null: null grants nothing). */
  public static Role narrowest(Role a, Role b) {
    if (a == null || b == null) {
      return null;
    }
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
