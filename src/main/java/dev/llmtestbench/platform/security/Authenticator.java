package dev.llmtestbench.platform.security;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a presented credential into a {@link Caller}: an API key ({@code ltb_...}), a token this
 * server issued, or a token of the configured corporate IdP. Anything else is refused.
 */
@ApplicationScoped
public class Authenticator {

  /** How long a positive API-key lookup or a "not revoked" answer is reused (cluster-wide lag). */
  static final long CACHE_MILLIS = 5_000;

  private static final int CACHE_MAX = 10_000;

  @Inject ServerTokens serverTokens;
  @Inject IdpTokens idpTokens;
  @Inject Accounts accounts;

  private record Cached<T>(T value, long at) {}

  /**
   * How long a verified token's caller is reused for the same token (at most until it expires): a
   * signature check (ES256, RS256) costs far more CPU than the rest of a small GET, and clients
   * send the same token with every request. A changed key set or role map takes effect after this
   * long.
   */
  static final long VERIFIED_MILLIS = 60_000;

  private final Map<String, Cached<Caller>> apiKeys = new ConcurrentHashMap<>();
  private final Map<String, Cached<Caller>> verified = new ConcurrentHashMap<>();
  private final Map<String, Long> notRevoked = new ConcurrentHashMap<>();
  private final Set<String> revokedHere = ConcurrentHashMap.newKeySet();

  public Caller authenticate(String credential) throws AuthenticationException {
    if (credential == null || credential.isBlank()) {
      throw new AuthenticationException("The credential is empty.");
    }
    if (credential.startsWith("ltb_")) {
      return apiKey(credential);
    }
    long now = System.currentTimeMillis();
    Cached<Caller> seen = verified.get(credential);
    if (seen != null
        && now - seen.at() < VERIFIED_MILLIS
        && now < seen.value().expiresAt().toEpochMilli()) {
      Caller caller = seen.value();
      if ("local".equals(caller.via()) && revoked(caller.tokenId())) {
        verified.remove(credential);
        throw new AuthenticationException("The token was revoked.");
      }
      return caller;
    }
    Caller caller = verify(credential);
    if (verified.size() > CACHE_MAX) {
      verified.clear();
    }
    verified.put(credential, new Cached<>(caller, now));
    return caller;
  }

  /** Parses and verifies a JWT: its signature, issuer, audience and times, then its revocation. */
  private Caller verify(String credential) throws AuthenticationException {
    JWT jwt;
    try {
      jwt = JWTParser.parse(credential);
    } catch (ParseException e) {
      throw new AuthenticationException("The credential is neither a JWT nor an API key.");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw new AuthenticationException("Unsigned or encrypted tokens are refused.");
    }
    String issuer;
    try {
      issuer = signed.getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      throw new AuthenticationException("The token's claims cannot be read.");
    }
    if (issuer != null && issuer.equals(serverTokens.issuer())) {
      return local(serverTokens.verify(signed));
    }
    if (issuer != null && issuer.equals(idpTokens.issuer())) {
      return idp(idpTokens.verify(signed));
    }
    throw new AuthenticationException("The token's issuer is not trusted.");
  }

  /** Revokes an access token of this server (logout): at once here, within seconds elsewhere. */
  public void revoke(Caller caller) {
    if ("local".equals(caller.via()) && caller.tokenId() != null) {
      revokedHere.add(caller.tokenId());
      notRevoked.remove(caller.tokenId());
      accounts.revokeAccessToken(caller.tokenId(), caller.expiresAt());
    }
  }

  /** Forgets cached API keys, e.g. after one was revoked. */
  public void forgetApiKeys() {
    apiKeys.clear();
  }

  private Caller local(JWTClaimsSet claims) throws AuthenticationException {
    String jti = claims.getJWTID();
    if (revoked(jti)) {
      throw new AuthenticationException("The token was revoked.");
    }
    Role role = null;
    Object groups = claims.getClaim("groups");
    if (groups instanceof Collection<?> c && !c.isEmpty()) {
      role = Role.parse(String.valueOf(c.iterator().next()));
    }
    UUID userId;
    try {
      userId = UUID.fromString(claims.getSubject());
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException("The token's subject is not a user.");
    }
    return new Caller(
        String.valueOf(claims.getClaim("upn")),
        userId,
        role,
        Set.copyOf(groups(claims, ServerTokens.GROUPS_CLAIM)),
        "local",
        jti,
        claims.getExpirationTime().toInstant());
  }

  private boolean revoked(String jti) {
    if (revokedHere.contains(jti)) {
      return true;
    }
    long now = System.currentTimeMillis();
    Long checked = notRevoked.get(jti);
    if (checked != null && now - checked < CACHE_MILLIS) {
      return false;
    }
    if (accounts.accessTokenRevoked(jti)) {
      return true;
    }
    if (notRevoked.size() > CACHE_MAX) {
      notRevoked.clear();
    }
    notRevoked.put(jti, now);
    return false;
  }

  private Caller idp(JWTClaimsSet claims) {
    Set<String> groups = groups(claims, AuthSettings.groupsClaim());
    Role role = null;
    for (Map.Entry<String, Role> e : AuthSettings.roleMap().entrySet()) {
      if (groups.contains(e.getKey())) {
        role = Role.widest(role, e.getValue());
      }
    }
    String name = string(claims, "upn");
    if (name == null) {
      name = string(claims, "preferred_username");
    }
    if (name == null) {
      name = claims.getSubject();
    }
    return new Caller(
        name,
        null,
        role,
        Set.copyOf(groups),
        "idp",
        claims.getJWTID(),
        claims.getExpirationTime().toInstant());
  }

  private static String string(JWTClaimsSet claims, String name) {
    Object v = claims.getClaim(name);
    return v instanceof String s && !s.isBlank() ? s : null;
  }

  /** The groups at a dotted claim path (e.g. realm_access.roles): a list or a single string. */
  static Set<String> groups(JWTClaimsSet claims, String path) {
    Object v = claims.getClaims();
    for (String part : path.split("\\.")) {
      v = v instanceof Map<?, ?> m ? m.get(part) : null;
    }
    Set<String> out = new LinkedHashSet<>();
    if (v instanceof Collection<?> c) {
      c.forEach(g -> out.add(String.valueOf(g)));
    } else if (v instanceof String s) {
      out.add(s);
    }
    return out;
  }

  private Caller apiKey(String secret) throws AuthenticationException {
    String hash = Accounts.sha256(secret);
    long now = System.currentTimeMillis();
    Cached<Caller> c = apiKeys.get(hash);
    if (c != null && now - c.at() < CACHE_MILLIS) {
      return c.value();
    }
    Caller caller =
        accounts
            .apiKeyCaller(secret)
            .orElseThrow(() -> new AuthenticationException("The API key is unknown or revoked."));
    if (apiKeys.size() > CACHE_MAX) {
      apiKeys.clear();
    }
    apiKeys.put(hash, new Cached<>(caller, now));
    return caller;
  }
}
