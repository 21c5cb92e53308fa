package dev.llmtestbench.platform.security;

import dev.llmtestbench.platform.rest.ProblemMappers;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Authenticates every request of the application: a credential in {@code Authorization: Bearer ...}
 * (a JWT or an API key), {@code X-API-Key}, the cookie named by {@code mp.jwt.token.cookie} when
 * {@code mp.jwt.token.header=Cookie}, or (WebSocket handshakes only, as browsers cannot set headers
 * there) the {@code access_token} query parameter. A presented credential that is not valid is
 * answered 401 at once. The caller becomes the request's user principal ({@code
 * getUserPrincipal()}, {@code isUserInRole("admin"|"user"|"viewer")}).
 *
 * <p>REST requests ({@code /api/v1/...}) go on to {@link AuthorizationFilter}, which requires the
 * permission each resource method declares. Every other path of the application (GraphQL, the
 * WebSocket endpoints) requires an authenticated caller here; their operations check permissions
 * themselves ({@link Callers}). Health checks, metrics and OpenAPI are served by Liberty, outside
 * this application (docs/security.md).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class AuthenticationFilter extends HttpFilter {

  private static final Logger LOG = Logger.getLogger(AuthenticationFilter.class.getName());

  @Inject Authenticator authenticator;
  @Inject MetricRegistry metrics;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String path = req.getRequestURI().substring(req.getContextPath().length());
    String credential = credential(req, path);
    Caller caller = null;
    if (credential != null) {
      try {
        caller = authenticator.authenticate(credential);
      } catch (AuthenticationException e) {
        LOG.log(Level.FINE, "Refused a credential on " + path, e);
        metrics.counter("ltb_authentication_failures").inc(); // a credential refused
        write(res, 401, e.getMessage(), true, req.getRequestURI());
        return;
      } catch (RuntimeException e) {
        if (!ProblemMappers.isDatabaseUnavailable(e)) {
          throw e;
        }
        // (Revocations, API keys and accounts are in the database.) As the API answers then.
        LOG.warning("Database unavailable on " + path + ": " + e.getMessage());
        res.setHeader("Retry-After", "10");
        writeBody(
            res,
            AuthProblems.body(
                503,
                "database-unavailable",
                "Database unavailable",
                ProblemMappers.DATABASE_UNAVAILABLE,
                req.getRequestURI()),
            503);
        return;
      }
    } else if (!path.startsWith("/api/") && !"OPTIONS".equals(req.getMethod())) {
      // (CORS preflights carry no credentials by definition; they run no operation.)
      write(
          res,
          401,
          "This endpoint requires a bearer token or an API key.",
          false,
          req.getRequestURI());
      return;
    }
    if (caller == null) {
      chain.doFilter(req, res);
      return;
    }
    if ((path.startsWith("/ws") || path.startsWith("/graphql/ws"))
        && !caller.has(Permission.VIEW_RESULTS)) {
      // Every /ws topic and GraphQL subscription carries results and run events: ViewResults,
      // checked at the handshake.
      write(
          res,
          403,
          "The WebSocket requires the VIEW_RESULTS permission.",
          false,
          req.getRequestURI());
      return;
    }
    req.setAttribute(Caller.ATTRIBUTE, caller);
    chain.doFilter(new Authenticated(req, caller), res);
  }

  private static String credential(HttpServletRequest req, String path) {
    String auth = req.getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    String key = req.getHeader("X-API-Key");
    if (key != null) {
      return key.trim();
    }
    if ("Cookie".equalsIgnoreCase(AuthSettings.get("mp.jwt.token.header", "Authorization"))
        && req.getCookies() != null) {
      String name = AuthSettings.get("mp.jwt.token.cookie", "Bearer");
      for (Cookie c : req.getCookies()) {
        if (c.getName().equals(name)) {
          return c.getValue();
        }
      }
    }
    if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      String token = req.getParameter("access_token");
      if (token != null) {
        return token;
      }
    }
    return auth != null ? auth : null;
  }

  static void write(HttpServletResponse res, int status, String detail, boolean invalid, String uri)
      throws IOException {
    res.setStatus(status);
    if (status == 401) {
      res.setHeader("WWW-Authenticate", AuthProblems.challenge(invalid));
    }
    writeBody(res, AuthProblems.body(status, detail, uri), status);
  }

  private static void writeBody(HttpServletResponse res, String json, int status)
      throws IOException {
    res.setStatus(status);
    res.setContentType("application/problem+json");
    res.setCharacterEncoding("UTF-8");
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  /** The request as the authenticated caller sees it. */
  private static final class Authenticated extends HttpServletRequestWrapper {
    private final Caller caller;

    Authenticated(HttpServletRequest req, Caller caller) {
      super(req);
      this.caller = caller;
    }

    @Override
    public Principal getUserPrincipal() {
      return caller;
    }

    @Override
    public String getRemoteUser() {
      return caller.name();
    }

    @Override
    public boolean isUserInRole(String role) {
      return caller.role() != null && caller.role().covers(Role.parse(role));
    }

    @Override
    public String getAuthType() {
      return "Bearer";
    }

    /**
     * Already authenticated here. Liberty's GraphQL servlet asks the container to authenticate
     * requests; with the bearer token (unknown to the container) its mpJwt interceptor answered 401
     * while the operation still ran.
     */
    @Override
    public boolean authenticate(HttpServletResponse response) {
      return true;
    }

    // The credential stays with this filter: the container never sees it (see authenticate).
    @Override
    public String getHeader(String name) {
      return hidden(name) ? null : super.getHeader(name);
    }

    @Override
    public java.util.Enumeration<String> getHeaders(String name) {
      return hidden(name) ? java.util.Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public java.util.Enumeration<String> getHeaderNames() {
      java.util.List<String> names = java.util.Collections.list(super.getHeaderNames());
      names.removeIf(Authenticated::hidden);
      return java.util.Collections.enumeration(names);
    }

    private static boolean hidden(String name) {
      return "Authorization".equalsIgnoreCase(name) || "X-API-Key".equalsIgnoreCase(name);
    }
  }
}
