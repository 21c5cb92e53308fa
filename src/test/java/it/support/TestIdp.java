package it.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A corporate identity provider for the tests: real RSA (RS256) and EC (ES256) keys, their JWKS
 * served on loopback at the port the build configured the test server with ({@code it.jwks.port},
 * see pom.xml), and tokens signed with them. The server under test has no test hook: it fetches
 * this JWKS as it would Keycloak's. It also plays the IdP's OpenID Connect authorization code flow
 * for the Admin Center login: a login page for the accounts a test adds, and a token endpoint for
 * one confidential client.
 */
public final class TestIdp {

  public static final String ISSUER = "https://idp.it.test/realms/ltb";
  public static final String AUDIENCE = "llm-test-bench-it";
  public static final String ADMINS = "it-admins";
  public static final String USERS = "it-users";
  public static final String VIEWERS = "it-viewers";

  /** The OpenID Connect client the test server's Admin Center logs in with (pom.xml). */
  public static final String CONSOLE_CLIENT_ID = "llm-test-bench-console";

  public static final String CONSOLE_CLIENT_SECRET = "it-console-secret-not-for-production";

  private static TestIdp instance;

  /** Where the IdP listens: http://127.0.0.1:port. */
  public String base;

  private record Account(String password, List<String> groups) {}

  private record Grant(String user, List<String> groups, String redirectUri, String nonce) {}

  private final Map<String, Account> accounts = new ConcurrentHashMap<>();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();

  public final RSAKey rsa;
  public final ECKey ec;
  private final HttpServer server;

  private TestIdp() {
    try {
      rsa = new RSAKeyGenerator(2048).keyID("it-rsa").keyUse(KeyUse.SIGNATURE).generate();
      ec = new ECKeyGenerator(Curve.P_256).keyID("it-ec").keyUse(KeyUse.SIGNATURE).generate();
      byte[] jwks =
          new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()))
              .toString(true)
              .getBytes(StandardCharsets.UTF_8);
      int port = Integer.parseInt(System.getProperty("it.jwks.port", "9099"));
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.createContext(
          "/jwks",
          ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, jwks.length);
            ex.getResponseBody().write(jwks);
            ex.close();
          });
      server.createContext("/authorize", this::authorize);
      server.createContext("/login", this::login);
      server.createContext("/token", this::token);
      server.start();
      base = "http://127.0.0.1:" + server.getAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An account that can log in on the IdP's login page (authorization code flow). */
  public void addAccount(String user, String password, String... groups) {
    accounts.put(user, new Account(password, List.of(groups)));
  }

  /**
   * GET /authorize (OpenID Connect authorization endpoint): checks the client and answers the login
   * form, which carries the request's parameters on.
   */
  private void authorize(HttpExchange ex) throws IOException {
    Map<String, String> q = form(ex.getRequestURI().getRawQuery());
    if (!CONSOLE_CLIENT_ID.equals(q.get("client_id"))
        || !"code".equals(q.get("response_type"))
        || q.get("redirect_uri") == null
        || !q.getOrDefault("scope", "").contains("openid")) {
      send(ex, 400, "text/plain", "invalid_request " + q);
      return;
    }
    StringBuilder html =
        new StringBuilder(
            "<html><body><form method=\"post\" action=\"/login\">"
                + "<input name=\"username\"><input name=\"password\" type=\"password\">");
    for (String k : List.of("redirect_uri", "state", "nonce")) {
      if (q.get(k) != null) {
        html.append("<input type=\"hidden\" name=\"")
            .append(k)
            .append("\" value=\"")
            .append(q.get(k).replace("&", "&amp;").replace("\"", "&quot;"))
            .append("\">");
      }
    }
    send(ex, 200, "text/html", html.append("</form></body></html>").toString());
  }

  /** POST /login: the form; a known account gets a one-time code sent back to the client. */
  private void login(HttpExchange ex) throws IOException {
    Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), UTF_8));
    Account a = accounts.get(f.get("username"));
    if (a == null || !a.password().equals(f.get("password"))) {
      send(ex, 401, "text/plain", "Wrong user name or password.");
      return;
    }
    String code = UUID.randomUUID().toString();
    codes.put(
        code, new Grant(f.get("username"), a.groups(), f.get("redirect_uri"), f.get("nonce")));
    String to =
        f.get("redirect_uri")
            + (f.get("redirect_uri").contains("?") ? "&" : "?")
            + "code="
            + code
            + (f.get("state") == null ? "" : "&state=" + enc(f.get("state")));
    ex.getResponseHeaders().add("Location", to);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  /**
   * POST /token: the confidential client (secret by HTTP basic or in the form) trades a code, once,
   * for an ID token and an access token signed with the RSA key.
   */
  private void token(HttpExchange ex) throws IOException {
    Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), UTF_8));
    String id = f.get("client_id");
    String secret = f.get("client_secret");
    String basic = ex.getRequestHeaders().getFirst("Authorization");
    if (basic != null && basic.startsWith("Basic ")) {
      String[] pair =
          new String(Base64.getDecoder().decode(basic.substring(6).trim()), UTF_8).split(":", 2);
      id = URLDecoder.decode(pair[0], UTF_8);
      secret = pair.length > 1 ? URLDecoder.decode(pair[1], UTF_8) : null;
    }
    if (!CONSOLE_CLIENT_ID.equals(id) || !CONSOLE_CLIENT_SECRET.equals(secret)) {
      send(ex, 401, "application/json", "{\"error\":\"invalid_client\"}");
      return;
    }
    Grant g = f.get("code") == null ? null : codes.remove(f.get("code"));
    if (!"authorization_code".equals(f.get("grant_type"))
        || g == null
        || !g.redirectUri().equals(f.get("redirect_uri"))) {
      send(ex, 400, "application/json", "{\"error\":\"invalid_grant\"}");
      return;
    }
    JWTClaimsSet.Builder idToken = claims(g.user(), null).claim("groups", g.groups());
    idToken.audience(CONSOLE_CLIENT_ID).claim("azp", CONSOLE_CLIENT_ID);
    if (g.nonce() != null) {
      idToken.claim("nonce", g.nonce());
    }
    JWTClaimsSet.Builder access = claims(g.user(), null).claim("groups", g.groups());
    String body =
        "{\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"openid profile\","
            + "\"access_token\":\""
            + rs256(access.build())
            + "\",\"id_token\":\""
            + rs256(idToken.build())
            + "\"}";
    ex.getResponseHeaders().add("Cache-Control", "no-store");
    send(ex, 200, "application/json", body);
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(
            URLDecoder.decode(pair.substring(0, eq), UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), UTF_8));
      }
    }
    return m;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, UTF_8);
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  /** The IdP, started on first use and kept for the rest of the test JVM. */
  public static synchronized TestIdp get() {
    if (instance == null) {
      instance = new TestIdp();
    }
    return instance;
  }

  /** Valid claims for {@code user} in {@code group}; tests change them with {@code edit}. */
  public static JWTClaimsSet.Builder claims(String user, String group) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(UUID.randomUUID().toString())
        .claim("preferred_username", user)
        .claim("groups", group == null ? List.of() : List.of(group))
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)));
  }

  /** An RS256 token for {@code user} in {@code group}. */
  public String token(String user, String group) {
    return rs256(claims(user, group).build());
  }

  public String token(String user, String group, Consumer<JWTClaimsSet.Builder> edit) {
    JWTClaimsSet.Builder b = claims(user, group);
    edit.accept(b);
    return rs256(b.build());
  }

  public String rs256(JWTClaimsSet claims) {
    try {
      return sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, rsa.getKeyID(), claims);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public String es256(JWTClaimsSet claims) {
    try {
      return sign(new ECDSASigner(ec), JWSAlgorithm.ES256, ec.getKeyID(), claims);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An RS256 token signed with this IdP's key whose header is {@code headerJson} byte for byte
   * (e.g. one dressed as the server's own tokens, {"typ":"ltb+jwt",...}).
   */
  public String rs256WithHeader(String headerJson, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              JWSHeader.parse(com.nimbusds.jose.util.Base64URL.encode(headerJson)), claims);
      jwt.sign(new RSASSASigner(rsa));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
