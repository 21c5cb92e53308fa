package dev.llmtestbench.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Validates the corporate IdP's bearer tokens with the standard MicroProfile JWT keys: {@code
 * mp.jwt.verify.publickey.location} (the IdP's JWKS URL, or a file with a JWKS or a PEM public
 * key), or {@code mp.jwt.verify.publickey} (the key itself), {@code mp.jwt.verify.issuer}, {@code
 * mp.jwt.verify.audiences}, {@code mp.jwt.verify.clock.skew} and {@code
 * mp.jwt.verify.publickey.algorithm}.
 *
 * <p>Why not Liberty's mpJwt authentication itself: it accepts one issuer and one key set, while
 * this server must also accept the tokens it issues (standalone login) and API keys (opaque) on the
 * same endpoints, answer problem+json, and guard GraphQL and WebSocket the same way. So one
 * application filter validates every credential with Nimbus JOSE+JWT (signature against the JWKS,
 * cached and refreshed on an unknown key id; asymmetric algorithms only, never "none" or HMAC),
 * with the MicroProfile JWT configuration keys so an IdP is set up exactly as for MicroProfile JWT.
 */
@ApplicationScoped
public class IdpTokens {

  private static final Logger LOG = Logger.getLogger(IdpTokens.class.getName());

  /** Asymmetric algorithms only: HMAC with a public key and "none" can never verify. */
  private static final Set<JWSAlgorithm> ASYMMETRIC =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);

  private volatile Settings settings;

  private record Settings(String issuer, ConfigurableJWTProcessor<SecurityContext> processor) {}

  /** The configured issuer, or null when no IdP is configured. */
  public String issuer() {
    Settings s = settings();
    return s == null ? null : s.issuer();
  }

  JWTClaimsSet verify(SignedJWT jwt) throws AuthenticationException {
    Settings s = settings();
    if (s == null) {
      throw new AuthenticationException("No identity provider is configured.");
    }
    try {
      return s.processor().process(jwt, null);
    } catch (Exception e) {
      throw new AuthenticationException("The token is not valid: " + e.getMessage(), e);
    }
  }

  private Settings settings() {
    Settings s = settings;
    if (s == null) {
      synchronized (this) {
        s = settings;
        if (s == null) {
          s = load();
          settings = s;
        }
      }
    }
    return s.issuer() == null ? null : s;
  }

  private static Settings load() {
    String location = AuthSettings.get("mp.jwt.verify.publickey.location", null);
    String inline = AuthSettings.get("mp.jwt.verify.publickey", null);
    String issuer = AuthSettings.get("mp.jwt.verify.issuer", null);
    if ((location == null && inline == null) || issuer == null) {
      return new Settings(null, null);
    }
    Set<String> audiences =
        Arrays.stream(AuthSettings.get("mp.jwt.verify.audiences", "").split(","))
            .map(String::trim)
            .filter(a -> !a.isEmpty())
            .collect(Collectors.toSet());
    if (audiences.isEmpty()) {
      LOG.severe(
          "mp.jwt.verify.audiences is not set: tokens of the identity provider "
              + issuer
              + " are refused (an audience check is required)");
      return new Settings(null, null);
    }
    Set<JWSAlgorithm> algs = ASYMMETRIC;
    String configuredAlg = AuthSettings.get("mp.jwt.verify.publickey.algorithm", null);
    if (configuredAlg != null) {
      JWSAlgorithm a = JWSAlgorithm.parse(configuredAlg.trim());
      if (!ASYMMETRIC.contains(a)) {
        throw new IllegalStateException(
            "mp.jwt.verify.publickey.algorithm must be an RSA or EC signature algorithm");
      }
      algs = Set.of(a);
    }
    JWKSource<SecurityContext> keys;
    try {
      keys = location != null ? source(location) : new ImmutableJWKSet<>(parseKeys(inline));
    } catch (Exception e) {
      throw new IllegalStateException("The identity provider's keys cannot be read: " + e, e);
    }
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(algs, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            audiences,
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            new HashSet<>(List.of("exp", "iat", "sub")),
            null);
    claims.setMaxClockSkew(AuthSettings.clockSkewSeconds());
    p.setJWTClaimsSetVerifier(claims);
    LOG.info(
        () ->
            "Accepting bearer tokens of the identity provider "
                + issuer
                + " for audience "
                + audiences
                + " (keys: "
                + (location != null ? location : "mp.jwt.verify.publickey")
                + ")");
    return new Settings(issuer, p);
  }

  private static JWKSource<SecurityContext> source(String location) throws Exception {
    if (location.startsWith("http://") || location.startsWith("https://")) {
      // Cached (5 min), refreshed when a token names an unknown key id, rate-limited.
      return JWKSourceBuilder.<SecurityContext>create(
              URI.create(location).toURL(), new DefaultResourceRetriever(5000, 5000, 512 * 1024))
          .build();
    }
    Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    return new ImmutableJWKSet<>(parseKeys(Files.readString(file)));
  }

  /** A JWKS document or a PEM public key (RSA or EC). */
  static JWKSet parseKeys(String text) throws Exception {
    String t = text.trim();
    if (t.startsWith("{")) {
      return t.contains("\"keys\"") ? JWKSet.parse(t) : new JWKSet(JWK.parse(t));
    }
    byte[] der =
        Base64.getDecoder()
            .decode(
                t.replaceAll("-----BEGIN PUBLIC KEY-----", "")
                    .replaceAll("-----END PUBLIC KEY-----", "")
                    .replaceAll("\\s", ""));
    PublicKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (java.security.spec.InvalidKeySpecException e) {
      key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    }
    if (key instanceof RSAPublicKey rsa) {
      return new JWKSet(new RSAKey.Builder(rsa).build());
    }
    ECPublicKey ec = (ECPublicKey) key;
    return new JWKSet(
        new ECKey.Builder(com.nimbusds.jose.jwk.Curve.forECParameterSpec(ec.getParams()), ec)
            .build());
  }
}
