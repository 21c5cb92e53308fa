package it.support;

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
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A corporate identity provider for the tests: real RSA (RS256) and EC (ES256) keys, their JWKS
 * served on loopback at the port the build configured the test server with ({@code it.jwks.port},
 * see pom.xml), and tokens signed with them. The server under test has no test hook: it fetches
 * this JWKS as it would Keycloak's.
 */
public final class TestIdp {

  public static final String ISSUER = "https://idp.it.test/realms/ltb";
  public static final String AUDIENCE = "llm-test-bench-it";
  public static final String ADMINS = "it-admins";
  public static final String USERS = "it-users";
  public static final String VIEWERS = "it-viewers";

  private static TestIdp instance;

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
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
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
