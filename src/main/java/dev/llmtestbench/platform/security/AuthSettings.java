package dev.llmtestbench.platform.security;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Security configuration read from MP Config (docs/configuration.md, docs/security.md). */
final class AuthSettings {

  /** The largest clock skew accepted, whatever is configured. */
  static final int MAX_CLOCK_SKEW_SECONDS = 300;

  private AuthSettings() {}

  static Config config() {
    return ConfigProvider.getConfig();
  }

  static String get(String key, String defaultValue) {
    return config()
        .getOptionalValue(key, String.class)
        .filter(s -> !s.isBlank())
        .orElse(defaultValue);
  }

  static long getLong(String key, long defaultValue) {
    return config().getOptionalValue(key, Long.class).orElse(defaultValue);
  }

  /**
   * {@code mp.jwt.verify.clock.skew} in seconds (MicroProfile JWT 2.1), default 60, at most 300.
   */
  static int clockSkewSeconds() {
    long s = getLong("mp.jwt.verify.clock.skew", 60);
    return (int) Math.max(0, Math.min(MAX_CLOCK_SKEW_SECONDS, s));
  }

  static String serverIssuer() {
    return get("ltb.auth.issuer", "llm-test-bench");
  }

  static String serverAudience() {
    return get("ltb.auth.audience", "llm-test-bench");
  }

  static Duration accessTokenTtl() {
    return Duration.ofSeconds(getLong("ltb.auth.access-token-seconds", 900));
  }

  static Duration refreshTokenTtl() {
    return Duration.ofSeconds(getLong("ltb.auth.refresh-token-seconds", 7 * 24 * 3600));
  }

  /** {@code ltb.auth.role-map}: {@code group=role,group=role} (roles: admin, user, viewer). */
  static Map<String, Role> roleMap() {
    Map<String, Role> map = new LinkedHashMap<>();
    String raw = get("ltb.auth.role-map", "");
    for (String entry : raw.split(",")) {
      int eq = entry.lastIndexOf('=');
      if (eq <= 0) {
        continue;
      }
      Role role = Role.parse(entry.substring(eq + 1));
      if (role == null) {
        throw new IllegalStateException(
            "ltb.auth.role-map: unknown role in '" + entry.trim() + "' (admin, user or viewer)");
      }
      map.put(entry.substring(0, eq).trim(), role);
    }
    return map;
  }

  /**
   * {@code ltb.auth.groups-claim}: the claim (a dotted path, e.g. realm_access.roles) of groups.
   */
  static String groupsClaim() {
    return get("ltb.auth.groups-claim", "groups");
  }
}
