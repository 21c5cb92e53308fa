package dev.llmtestbench.platform.web;

import dev.llmtestbench.platform.audit.ClientAddress;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The HTTP guard in front of everything the application serves (REST, GraphQL, the WebSocket
 * handshake), in this order: security headers on every response; CORS (preflights answered here);
 * rate limits per caller and route ({@code 429} with {@code Retry-After} and {@code RateLimit-*}
 * headers); request body limits ({@code 413}).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class HttpGuardFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(HttpGuardFilter.class.getName());
  private static final int SWEEP_EVERY = 4096;

  @Inject transient ClientAddress clientAddress;
  @Inject transient Config config;
  @Inject transient MetricRegistry metrics;

  @Inject
  @ConfigProperty(name = "ltb.ratelimit.enabled", defaultValue = "true")
  boolean rateLimitEnabled;

  @Inject
  @ConfigProperty(name = "ltb.http.max-body-bytes", defaultValue = "10485760")
  long maxBodyBytes;

  @Inject
  @ConfigProperty(name = "ltb.dataset.max-import-bytes", defaultValue = "52428800")
  long maxImportBytes;

  @Inject
  @ConfigProperty(
      name = "ltb.http.content-security-policy",
      defaultValue = "default-src 'none'; frame-ancestors 'none'")
  String contentSecurityPolicy;

  @Inject
  @ConfigProperty(name = "ltb.http.hsts", defaultValue = "max-age=31536000; includeSubDomains")
  String hsts;

  private transient RateLimits limits;
  private transient Cors cors;
  private final transient Gcra gcra = new Gcra(System::nanoTime);
  private final AtomicLong requests = new AtomicLong();

  @Override
  public void init() {
    limits = RateLimits.from(name -> config.getOptionalValue(name, String.class).orElse(null));
    cors = Cors.from(name -> config.getOptionalValue(name, String.class).orElse(null));
    LOG.info(() -> "CORS: " + cors + "; request bodies up to " + maxBodyBytes + " bytes");
    LOG.info(
        () ->
            "Rate limits: "
                + (rateLimitEnabled
                    ? "default " + limits.defaultLimit() + ", routes " + limits.routes()
                    : "off"));
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String path = pathOf(req);
    securityHeaders(req, res, path);
    String origin = req.getHeader("Origin");
    if (cors.enabled() && origin != null) {
      if (Cors.isPreflight(
          req.getMethod(), origin, req.getHeader("Access-Control-Request-Method"))) {
        preflight(req, res, origin);
        return;
      }
      res.addHeader("Vary", "Origin");
      cors.actual(origin).forEach(res::setHeader);
    }
    if (rateLimitEnabled && !rateLimited(req, res, path)) {
      return;
    }
    long limit = path.equals(IMPORT_PATH) ? maxImportBytes : maxBodyBytes;
    long length = req.getContentLengthLong();
    if (length > limit) {
      // The rest of the body is not read: close the connection rather than drain it.
      res.setHeader("Connection", "close");
      Problems.write(
          req,
          res,
          413,
          "payload-too-large",
          "Payload too large",
          new BodyTooLargeException(limit).getMessage());
      return;
    }
    // Bodies without a length are counted as they are read. The import counts its own (with its
    // own message), so it is left alone.
    HttpServletRequest bounded =
        length < 0 && !path.equals(IMPORT_PATH) && hasBody(req.getMethod())
            ? new BodyLimit(req, limit)
            : req;
    chain.doFilter(bounded, res);
  }

  private static final String IMPORT_PATH = "/api/v1/datasets/import";

  private static boolean hasBody(String method) {
    return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
  }

  private void securityHeaders(HttpServletRequest req, HttpServletResponse res, String path) {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "no-referrer");
    if (!contentSecurityPolicy.isBlank() && !"none".equals(contentSecurityPolicy)) {
      res.setHeader("Content-Security-Policy", contentSecurityPolicy);
    }
    if (!hsts.isBlank() && !"none".equals(hsts) && clientAddress.secure(req)) {
      res.setHeader("Strict-Transport-Security", hsts);
    }
    if (path.startsWith("/api/") || path.equals("/graphql")) {
      // API answers are per caller and change: never stored by browsers or shared caches.
      res.setHeader("Cache-Control", "no-store");
    }
  }

  private void preflight(HttpServletRequest req, HttpServletResponse res, String origin)
      throws IOException {
    res.addHeader("Vary", "Origin");
    res.addHeader("Vary", "Access-Control-Request-Method");
    res.addHeader("Vary", "Access-Control-Request-Headers");
    var headers =
        cors.preflight(
            origin,
            req.getHeader("Access-Control-Request-Method"),
            req.getHeader("Access-Control-Request-Headers"));
    if (headers == null) {
      Problems.write(
          req,
          res,
          403,
          "cors-rejected",
          "Cross-origin request not allowed",
          "This origin, method or header is not allowed (ltb.cors.allowed-origins,"
              + " ltb.cors.allowed-methods, ltb.cors.allowed-headers).");
      return;
    }
    headers.forEach(res::setHeader);
    res.setStatus(204);
  }

  /** Applies the caller's limit; false when the request was refused (and answered). */
  private boolean rateLimited(HttpServletRequest req, HttpServletResponse res, String path)
      throws IOException {
    if ("OPTIONS".equals(req.getMethod()) || limits.exempt(path)) {
      return true;
    }
    RateLimits.Route route = limits.routeOf(req.getMethod(), path);
    Gcra.Limit limit = route == null ? limits.defaultLimit() : route.limit();
    String key = (route == null ? "default" : route.name()) + "|" + callerOf(req);
    Gcra.Decision d = gcra.acquire(key, limit);
    if (requests.incrementAndGet() % SWEEP_EVERY == 0) {
      gcra.sweep();
    }
    res.setHeader("RateLimit-Limit", Long.toString(limit.count()));
    res.setHeader("RateLimit-Remaining", Long.toString(d.remaining()));
    res.setHeader("RateLimit-Reset", Long.toString(d.resetSeconds()));
    res.setHeader("RateLimit-Policy", limit.count() + ";w=" + limit.periodSeconds());
    if (d.allowed()) {
      return true;
    }
    res.setHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
    metrics
        .counter("ltb_rate_limited", new Tag("route", route == null ? "default" : route.name()))
        .inc();
    Problems.write(
        req,
        res,
        429,
        "rate-limited",
        "Too many requests",
        "More than "
            + limit.count()
            + " requests in "
            + limit.periodSeconds()
            + " s"
            + (route == null ? "" : " to " + route.name())
            + " from this caller; retry after "
            + d.retryAfterSeconds()
            + " s.");
    return false;
  }

  /**
   * The caller a limit counts for: the principal where the container already authenticated the
   * request, else the credential it presents (a digest of the bearer token or API key: this filter
   * runs before the application's authentication, so that its headers and CORS answers cover every
   * response, 401s included; see web.xml), else the client address.
   */
  private String callerOf(HttpServletRequest req) {
    Principal p = req.getUserPrincipal();
    if (p != null) {
      return "user:" + p.getName();
    }
    String credential = req.getHeader("Authorization");
    if (credential == null) {
      credential = req.getHeader("X-API-Key");
    }
    if (credential != null) {
      return "credential:" + digest(credential);
    }
    return "ip:" + clientAddress.of(req);
  }

  private static String digest(String credential) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(credential.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The request's path inside the application as the container decoded and normalised it (no {@code
   * ..}, {@code .} or %-escapes), with repeated slashes collapsed, so that a route cannot be dodged
   * by spelling its path differently.
   */
  static String pathOf(HttpServletRequest req) {
    return pathOf(req.getServletPath(), req.getPathInfo());
  }

  static String pathOf(String servlet, String info) {
    String p = (servlet == null ? "" : servlet) + (info == null ? "" : info);
    if (p.contains("//")) {
      p = REPEATED_SLASHES.matcher(p).replaceAll("/");
    }
    return p.isEmpty() ? "/" : p;
  }

  private static final java.util.regex.Pattern REPEATED_SLASHES =
      java.util.regex.Pattern.compile("/{2,}");
}
