package dev.llmtestbench.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configured limits: a default for every request, and named routes (a path prefix and
 * optionally methods) with their own limit and their own buckets. A request counts against the
 * first route that matches it, else against the default.
 */
public final class RateLimits {

  private static final Pattern LIMIT =
      Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|h|d)\\s*", Pattern.CASE_INSENSITIVE);

  /**
   * A route: requests whose path starts with {@code prefix} and whose method is in {@code methods}
   * (all when empty).
   */
  public record Route(String name, String prefix, Set<String> methods, Gcra.Limit limit) {
    boolean matches(String method, String path) {
      return path.startsWith(prefix) && (methods.isEmpty() || methods.contains(method));
    }
  }

  private final Gcra.Limit defaultLimit;
  private final List<Route> routes;
  private final List<String> exempt;

  public RateLimits(Gcra.Limit defaultLimit, List<Route> routes, List<String> exempt) {
    this.defaultLimit = defaultLimit;
    this.routes = List.copyOf(routes);
    this.exempt = List.copyOf(exempt);
  }

  /**
   * Reads the limits from configuration: {@code ltb.ratelimit.default}, the route names in {@code
   * ltb.ratelimit.routes}, and for each {@code ltb.ratelimit.route.<name>.path}, {@code .methods}
   * and {@code .limit}; {@code ltb.ratelimit.exempt-paths}.
   */
  public static RateLimits from(Function<String, String> config) {
    Gcra.Limit def = parse(orElse(config.apply("ltb.ratelimit.default"), "1200/1m"));
    List<Route> routes = new ArrayList<>();
    String names = orElse(config.apply("ltb.ratelimit.routes"), "auth,writes");
    for (String name : names.strip().equalsIgnoreCase("none") ? List.<String>of() : list(names)) {
      String key = "ltb.ratelimit.route." + name + ".";
      String limit = config.apply(key + "limit");
      if (limit == null) {
        limit = builtIn(name, "limit");
      }
      if (limit == null) {
        throw new IllegalArgumentException(key + "limit is required for route '" + name + "'");
      }
      String path = orElse(config.apply(key + "path"), orElse(builtIn(name, "path"), "/"));
      String methods = orElse(config.apply(key + "methods"), orElse(builtIn(name, "methods"), ""));
      routes.add(
          new Route(name, path, Set.copyOf(list(methods.toUpperCase(Locale.ROOT))), parse(limit)));
    }
    List<String> exempt =
        list(orElse(config.apply("ltb.ratelimit.exempt-paths"), "/health,/metrics"));
    return new RateLimits(def, routes, exempt);
  }

  /** The built-in routes' settings, used when a route of that name is listed but not configured. */
  private static String builtIn(String route, String field) {
    return switch (route + "." + field) {
      case "auth.path" -> "/api/v1/auth/";
      case "auth.methods" -> "POST";
      case "auth.limit" -> "20/1m";
      case "writes.path" -> "/api/v1/";
      case "writes.methods" -> "POST,PUT,PATCH,DELETE";
      case "writes.limit" -> "300/1m";
      default -> null;
    };
  }

  /** {@code 100/1m}, {@code 10/30s}, {@code 5/h}: a count per period (ms, s, m, h, d). */
  public static Gcra.Limit parse(String spec) {
    Matcher m = LIMIT.matcher(spec == null ? "" : spec);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "Invalid rate limit '" + spec + "': expected <count>/<period>, e.g. 100/1m or 10/30s");
    }
    long count = Long.parseLong(m.group(1));
    long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
    long unitNanos =
        switch (m.group(3).toLowerCase(Locale.ROOT)) {
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          default -> 86_400_000_000_000L;
        };
    return new Gcra.Limit(count, amount * unitNanos);
  }

  /** The route a request counts against (null for the default), or exempt. */
  public Route routeOf(String method, String path) {
    for (Route r : routes) {
      if (r.matches(method, path)) {
        return r;
      }
    }
    return null;
  }

  public boolean exempt(String path) {
    for (String p : exempt) {
      if (path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/")) {
        return true;
      }
    }
    return false;
  }

  public Gcra.Limit defaultLimit() {
    return defaultLimit;
  }

  public List<Route> routes() {
    return routes;
  }

  private static String orElse(String v, String fallback) {
    return v == null || v.isBlank() ? fallback : v;
  }

  private static List<String> list(String csv) {
    List<String> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }
}
