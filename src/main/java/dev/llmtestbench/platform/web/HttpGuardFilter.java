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

/**
 * The HTTP guard in front of everything the application serves (REST, GraphQL, the WebSocket
 * handshake): rate limits per caller and route ({@code 429} with {@code Retry-After} and {@code
 * RateLimit-*} headers).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class HttpGuardFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(HttpGuardFilter.class.getName());
  private static final int SWEEP_EVERY = 4096;

  @Inject transient ClientAddress clientAddress;
  @Inject transient Config config;

  @Inject
  @ConfigProperty(name = "ltb.ratelimit.enabled", defaultValue = "true")
  boolean rateLimitEnabled;

  private transient RateLimits limits;
  private final transient Gcra gcra = new Gcra(System::nanoTime);
  private final AtomicLong requests = new AtomicLong();

  @Override
  public void init() {
    limits = RateLimits.from(name -> config.getOptionalValue(name, String.class).orElse(null));
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
    if (rateLimitEnabled && !rateLimited(req, res)) {
      return;
    }
    chain.doFilter(req, res);
  }

  /** Applies the caller's limit; false when the request was refused (and answered). */
  private boolean rateLimited(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = pathOf(req);
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

  /** The caller a limit counts for: the authenticated principal, else the client address. */
  private String callerOf(HttpServletRequest req) {
    Principal p = req.getUserPrincipal();
    return p != null ? "user:" + p.getName() : "ip:" + clientAddress.of(req);
  }

  /**
   * The request's path inside the application as the container decoded and normalised it (no {@code
   * ..}, {@code .} or %-escapes), with repeated slashes collapsed, so that a route cannot be dodged
   * by spelling its path differently.
   */
  static String pathOf(HttpServletRequest req) {
    String servlet = req.getServletPath();
    String info = req.getPathInfo();
    String p = (servlet == null ? "" : servlet) + (info == null ? "" : info);
    p = p.replaceAll("/{2,}", "/");
    return p.isEmpty() ? "/" : p;
  }
}
