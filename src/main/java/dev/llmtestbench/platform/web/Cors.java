package dev.llmtestbench.platform.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Cross-origin resource sharing by configuration: which origins may call the API from a browser,
 * with which methods and headers, and whether with credentials. Off (no CORS headers at all) unless
 * {@code ltb.cors.allowed-origins} is set.
 */
public final class Cors {

  private final Set<String> origins;
  private final boolean anyOrigin;
  private final Set<String> methods;
  private final Set<String> headers;
  private final String exposed;
  private final boolean credentials;
  private final long maxAge;

  Cors(
      List<String> origins,
      List<String> methods,
      List<String> headers,
      List<String> exposed,
      boolean credentials,
      long maxAge) {
    this.anyOrigin = origins.contains("*");
    this.origins = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String o : origins) {
      this.origins.add(stripSlash(o));
    }
    this.methods = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    this.methods.addAll(methods);
    this.headers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    this.headers.addAll(headers);
    this.exposed = String.join(", ", exposed);
    this.credentials = credentials;
    this.maxAge = maxAge;
  }

  public static Cors from(Function<String, String> config) {
    return new Cors(
        list(config.apply("ltb.cors.allowed-origins"), ""),
        list(config.apply("ltb.cors.allowed-methods"), "GET,HEAD,POST,PUT,PATCH,DELETE"),
        list(
            config.apply("ltb.cors.allowed-headers"),
            "Authorization,Content-Type,Accept,X-API-Key"),
        list(
            config.apply("ltb.cors.exposed-headers"),
            "Location,Retry-After,RateLimit-Limit,RateLimit-Remaining,RateLimit-Reset,"
                + "RateLimit-Policy"),
        Boolean.parseBoolean(String.valueOf(config.apply("ltb.cors.allow-credentials"))),
        Long.parseLong(orElse(config.apply("ltb.cors.max-age-seconds"), "600")));
  }

  public boolean enabled() {
    return anyOrigin || !origins.isEmpty();
  }

  public boolean allows(String origin) {
    return origin != null && (anyOrigin || origins.contains(stripSlash(origin)));
  }

  /** Whether a request is a CORS preflight. */
  public static boolean isPreflight(String method, String origin, String requestMethod) {
    return "OPTIONS".equalsIgnoreCase(method) && origin != null && requestMethod != null;
  }

  /**
   * The headers answering a preflight, or null to refuse it (origin, method or a header not
   * allowed).
   */
  public Map<String, String> preflight(String origin, String method, String requestHeaders) {
    if (!allows(origin) || !methods.contains(method.strip())) {
      return null;
    }
    if (requestHeaders != null) {
      for (String h : requestHeaders.split(",")) {
        if (!h.isBlank() && !headers.contains(h.strip())) {
          return null;
        }
      }
    }
    Map<String, String> out = common(origin);
    out.put("Access-Control-Allow-Methods", String.join(", ", methods));
    out.put("Access-Control-Allow-Headers", String.join(", ", headers));
    out.put("Access-Control-Max-Age", Long.toString(maxAge));
    return out;
  }

  /** The headers for an actual request from an allowed origin; empty otherwise. */
  public Map<String, String> actual(String origin) {
    if (!allows(origin)) {
      return Map.of();
    }
    Map<String, String> out = common(origin);
    if (!exposed.isEmpty()) {
      out.put("Access-Control-Expose-Headers", exposed);
    }
    return out;
  }

  private Map<String, String> common(String origin) {
    Map<String, String> out = new LinkedHashMap<>();
    // A wildcard cannot go with credentials: echo the origin then.
    out.put("Access-Control-Allow-Origin", anyOrigin && !credentials ? "*" : origin);
    if (credentials) {
      out.put("Access-Control-Allow-Credentials", "true");
    }
    return out;
  }

  private static String stripSlash(String origin) {
    String o = origin.strip();
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }

  private static String orElse(String v, String fallback) {
    return v == null || v.isBlank() ? fallback : v;
  }

  private static List<String> list(String csv, String fallback) {
    List<String> out = new ArrayList<>();
    for (String s : orElse(csv, fallback).split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return enabled()
        ? "origins "
            + (anyOrigin ? "*" : origins)
            + ", methods "
            + methods
            + ", credentials "
            + credentials
        : "off";
  }
}
