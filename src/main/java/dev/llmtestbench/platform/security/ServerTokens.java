package dev.llmtestbench.platform.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONStringUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.llmtestbench.platform.database.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The tokens this server issues to local accounts (standalone login): signed with the key in {@code
 * ltb.auth.signing-key} (a private JWK, RSA or EC, or a PKCS#8 PEM RSA key), or else with an EC
 * P-256 key generated at the first start and stored in {@code signing_keys} (encrypted with {@code
 * ltb.secrets.key} when one is configured), so that every server on the database accepts the tokens
 * any of them issued. The public key is published at {@code /api/v1/auth/jwks}.
 */
@ApplicationScoped
public class ServerTokens {

  private static final Logger LOG = Logger.getLogger(ServerTokens.class.getName());
  private static final String ROW_KID_PREFIX = "ltb-";

  @Inject Jdbc jdbc;
  @Inject SecretBox secrets;

  private volatile Keys keys;

  private record Keys(
      JWK privateKey,
      JWSSigner signer,
      JWSAlgorithm alg,
      JWKSet publicSet,
      ConfigurableJWTProcessor<SecurityContext> processor) {}

  /** A signed access token for a local account and its expiry. */
  public record Issued(String token, String jti, Instant expiresAt) {}

  public String issuer() {
    return AuthSettings.serverIssuer();
  }

  /**
   * The claim carrying a local account's groups (docs/security.md, "Ownership"); {@code groups}
   * holds its role, as MicroProfile JWT expects.
   */
  public static final String GROUPS_CLAIM = "ltb_groups";

  public Issued issue(UUID userId, String username, Role role, List<String> groups) {
    Keys k = keys();
    Instant now = Instant.now();
    Instant exp = now.plus(AuthSettings.accessTokenTtl());
    String jti = UUID.randomUUID().toString();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .audience(AuthSettings.serverAudience())
            .subject(userId.toString())
            .claim("upn", username)
            .claim("groups", List.of(role.id()))
            .claim(GROUPS_CLAIM, groups == null ? List.of() : List.copyOf(groups))
            .jwtID(jti)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(exp))
            .build();
    SignedJWT jwt;
    try {
      jwt = new SignedJWT(header(k.alg(), k.privateKey().getKeyID()), claims);
      jwt.sign(k.signer());
    } catch (JOSEException | ParseException e) {
      throw new IllegalStateException("Signing failed", e);
    }
    return new Issued(jwt.serialize(), jti, exp);
  }

  /**
   * The JWS header of the server's tokens, serialized with {@code "typ":"ltb+jwt"} first: its
   * encoding always starts with {@link #HEADER_PREFIX}, which is how Liberty's authFilter sends
   * these tokens, and only these, to the mpJwt configuration that verifies them with this server's
   * keys (server.xml {@code batchServerTokenFilter}; docs/security.md "Batch console and batch REST
   * API"). The header's own bytes are signed, so the order is kept as written here.
   */
  static JWSHeader header(JWSAlgorithm alg, String kid) throws ParseException {
    String json =
        "{\"typ\":\""
            + TOKEN_TYPE.getType()
            + "\",\"alg\":\""
            + alg.getName()
            + "\",\"kid\":"
            + JSONStringUtils.toJSONString(kid)
            + "}";
    return JWSHeader.parse(Base64URL.encode(json));
  }

  /** The explicit type of the server's access tokens (RFC 8725, section 3.11). */
  public static final JOSEObjectType TOKEN_TYPE = new JOSEObjectType("ltb+jwt");

  /**
   * How the base64url encoding of every server token's header starts: {@code {"typ":"ltb+jwt}.
   */
  public static final String HEADER_PREFIX = "eyJ0eXAiOiJsdGIrand0";

  /** The verified claims of a token this server issued, or an AuthenticationException. */
  JWTClaimsSet verify(SignedJWT jwt) throws AuthenticationException {
    try {
      return keys().processor().process(jwt, null);
    } catch (Exception e) {
      throw new AuthenticationException("The token is not valid: " + e.getMessage(), e);
    }
  }

  /** The public keys, for {@code GET /api/v1/auth/jwks}. */
  public JWKSet publicKeys() {
    return keys().publicSet();
  }

  private Keys keys() {
    Keys k = keys;
    if (k == null) {
      synchronized (this) {
        k = keys;
        if (k == null) {
          k = load();
          keys = k;
        }
      }
    }
    return k;
  }

  private Keys load() {
    try {
      JWK jwk;
      String configured = AuthSettings.get("ltb.auth.signing-key", null);
      if (configured != null) {
        jwk = parseConfigured(configured.trim());
      } else {
        jwk = storedOrGenerated();
      }
      JWSSigner signer;
      JWSAlgorithm alg;
      if (jwk instanceof ECKey ec) {
        signer = new ECDSASigner(ec);
        alg =
            ec.getCurve().equals(Curve.P_384)
                ? JWSAlgorithm.ES384
                : ec.getCurve().equals(Curve.P_521) ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
      } else if (jwk instanceof RSAKey rsa) {
        signer = new RSASSASigner(rsa);
        alg = JWSAlgorithm.RS256;
      } else {
        throw new IllegalStateException("ltb.auth.signing-key must be an RSA or EC private key");
      }
      JWKSet publicSet = new JWKSet(jwk.toPublicJWK());
      DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
      p.setJWSKeySelector(new JWSVerificationKeySelector<>(alg, new ImmutableJWKSet<>(publicSet)));
      // Tokens typed "JWT" were issued before the explicit type: accepted until they expire.
      p.setJWSTypeVerifier(
          new DefaultJOSEObjectTypeVerifier<>(TOKEN_TYPE, JOSEObjectType.JWT, null));
      DefaultJWTClaimsVerifier<SecurityContext> claims =
          new DefaultJWTClaimsVerifier<>(
              new HashSet<>(Set.of(AuthSettings.serverAudience())),
              new JWTClaimsSet.Builder().issuer(issuer()).build(),
              new HashSet<>(List.of("exp", "iat", "jti", "sub", "upn")),
              null);
      claims.setMaxClockSkew(AuthSettings.clockSkewSeconds());
      p.setJWTClaimsSetVerifier(claims);
      return new Keys(jwk, signer, alg, publicSet, p);
    } catch (JOSEException | ParseException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("The token-signing key cannot be used: " + e, e);
    }
  }

  private static JWK parseConfigured(String value)
      throws ParseException, java.security.GeneralSecurityException, JOSEException {
    if (value.startsWith("{")) {
      JWK jwk = JWK.parse(value);
      if (!jwk.isPrivate()) {
        throw new IllegalStateException("ltb.auth.signing-key must hold the private key");
      }
      return jwk.getKeyID() != null ? jwk : withThumbprintKid(jwk);
    }
    String b64 =
        value
            .replaceAll("-----BEGIN PRIVATE KEY-----", "")
            .replaceAll("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    RSAPrivateCrtKey priv =
        (RSAPrivateCrtKey)
            KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    RSAPublicKey pub =
        (RSAPublicKey)
            KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
    RSAKey rsa = new RSAKey.Builder(pub).privateKey(priv).keyUse(KeyUse.SIGNATURE).build();
    return withThumbprintKid(rsa);
  }

  private static JWK withThumbprintKid(JWK jwk) throws JOSEException, ParseException {
    String kid = jwk.computeThumbprint().toString();
    var json = jwk.toJSONObject();
    json.put("kid", kid);
    return JWK.parse(json);
  }

  private JWK storedOrGenerated() throws JOSEException, ParseException {
    var stored = stored();
    if (stored != null) {
      return stored;
    }
    String kid = ROW_KID_PREFIX + UUID.randomUUID().toString().substring(0, 8);
    ECKey generated =
        new ECKeyGenerator(Curve.P_256)
            .keyID(kid)
            .algorithm(JWSAlgorithm.ES256)
            .keyUse(KeyUse.SIGNATURE)
            .generate();
    String json = generated.toJSONString();
    String value = secrets.available() ? secrets.encrypt(json) : json;
    // Two servers starting at once: one insert wins, both then use the stored key.
    jdbc.update(
        "INSERT INTO signing_keys (kid, algorithm, private_key) SELECT ?, 'ES256', ?"
            + " WHERE NOT EXISTS (SELECT 1 FROM signing_keys)",
        kid,
        value);
    JWK key = stored();
    LOG.info(
        () ->
            "Signing the server's tokens with "
                + key.getKeyID()
                + (secrets.available()
                    ? " (stored encrypted)"
                    : " (stored unencrypted: set ltb.secrets.key or ltb.auth.signing-key)"));
    return key;
  }

  private JWK stored() throws ParseException {
    String value =
        jdbc.one(
                "SELECT private_key FROM signing_keys ORDER BY created_at, kid LIMIT 1",
                rs -> rs.getString(1))
            .orElse(null);
    if (value == null) {
      return null;
    }
    return JWK.parse(value.startsWith("{") ? value : secrets.decrypt(value));
  }
}
