package dev.llmtestbench.platform.security;

import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.database.Rows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Local accounts, refresh tokens, revoked access tokens and API keys in PostgreSQL. */
@ApplicationScoped
public class Accounts {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject Jdbc jdbc;

  /** A local account. */
  public record User(
      UUID id,
      String username,
      String email,
      Role role,
      boolean active,
      Instant createdAt,
      Instant lastLoginAt,
      List<String> groups) {}

  /** An API key as listed (never the key itself). */
  public record ApiKey(
      UUID id,
      UUID userId,
      String name,
      String prefix,
      Role role,
      Instant createdAt,
      Instant revokedAt) {}

  private static final String USER_COLUMNS =
      "id, username, email, role, is_active, created_at, last_login_at, groups";

  private static User user(ResultSet rs) throws SQLException {
    return new User(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        rs.getString(3),
        Role.parse(rs.getString(4)),
        rs.getBoolean(5),
        instant(rs.getTimestamp(6)),
        instant(rs.getTimestamp(7)),
        Rows.strings(rs, "groups"));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  public Optional<User> byId(UUID id) {
    return jdbc.one("SELECT " + USER_COLUMNS + " FROM users WHERE id = ?", Accounts::user, id);
  }

  public List<User> list() {
    return jdbc.list("SELECT " + USER_COLUMNS + " FROM users ORDER BY username", Accounts::user);
  }

  /** The account and its password hash, for login. */
  public Optional<User> byUsernameWithPassword(String username, String[] hashOut) {
    return jdbc.one(
        "SELECT " + USER_COLUMNS + ", password_hash FROM users WHERE username = ?",
        rs -> {
          hashOut[0] = rs.getString(9);
          return user(rs);
        },
        username);
  }

  /** Creates an account; false when the username is taken. */
  public boolean create(UUID id, String username, String email, String password, Role role) {
    return create(id, username, email, password, role, List.of());
  }

  /** Creates an account in {@code groups}; false when the username is taken. */
  public boolean create(
      UUID id, String username, String email, String password, Role role, List<String> groups) {
    return jdbc.update(
            "INSERT INTO users (id, username, email, password_hash, role, groups)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            id,
            username,
            email,
            PasswordHasher.hash(password),
            role.id(),
            groups)
        == 1;
  }

  public boolean anyAdmin() {
    return jdbc.one("SELECT 1 FROM users WHERE role = 'admin' AND is_active LIMIT 1", rs -> 1)
        .isPresent();
  }

  /** Changes what is not null ({@code groups} replaces the account's groups). */
  public boolean update(UUID id, Role role, Boolean active, String password, List<String> groups) {
    return jdbc.update(
            "UPDATE users SET role = COALESCE(?, role), is_active = COALESCE(?, is_active),"
                + " password_hash = COALESCE(?, password_hash),"
                + " groups = COALESCE(?::text[], groups) WHERE id = ?",
            role == null ? null : role.id(),
            active,
            password == null ? null : PasswordHasher.hash(password),
            groups,
            id)
        == 1;
  }

  public void touchLogin(UUID id) {
    jdbc.update("UPDATE users SET last_login_at = NOW() WHERE id = ?", id);
  }

  // Refresh tokens -------------------------------------------------------------------------------

  /** A new opaque refresh token for the user (only its hash is stored). */
  public String newRefreshToken(UUID userId) {
    String token = "ltbr_" + randomToken();
    jdbc.update(
        "DELETE FROM refresh_tokens WHERE user_id = ? AND expires_at < NOW() - INTERVAL '1 day'",
        userId);
    jdbc.update(
        "INSERT INTO refresh_tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
        sha256(token),
        userId,
        Timestamp.from(Instant.now().plus(AuthSettings.refreshTokenTtl())));
    return token;
  }

  /**
   * Revokes the refresh token and returns its user when it was valid (unrevoked, unexpired): each
   * refresh token is used once.
   */
  public Optional<UUID> consumeRefreshToken(String token) {
    return jdbc.one(
        "UPDATE refresh_tokens SET revoked_at = NOW() WHERE token_hash = ? AND revoked_at IS NULL"
            + " AND expires_at > NOW() RETURNING user_id",
        rs -> rs.getObject(1, UUID.class),
        sha256(token));
  }

  public void revokeAccessToken(String jti, Instant expiresAt) {
    jdbc.update(
        "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
        jti,
        Timestamp.from(expiresAt));
    jdbc.update("DELETE FROM revoked_tokens WHERE expires_at < NOW() - INTERVAL '1 hour'");
  }

  public boolean accessTokenRevoked(String jti) {
    return jdbc.one("SELECT 1 FROM revoked_tokens WHERE jti = ?", rs -> 1, jti).isPresent();
  }

  // API keys -------------------------------------------------------------------------------------

  /** A created key: the only time the key itself exists outside the caller. */
  public record CreatedKey(ApiKey key, String secret) {}

  public CreatedKey createApiKey(UUID userId, String name, Role role) {
    return insertApiKey(userId, null, Set.of(), name, role);
  }

  /**
   * A key of an identity of the corporate IdP (no users row): owned by its principal key {@code
   * owner} ("idp:<name>", {@link Visibility#ownerKey}), carrying the groups it had at creation.
   */
  public CreatedKey createIdpApiKey(String owner, Set<String> groups, String name, Role role) {
    if (owner == null || !owner.startsWith(IDP_OWNER)) {
      throw new IllegalArgumentException("An IdP key's owner is idp:<name>");
    }
    return insertApiKey(null, owner, groups, name, role);
  }

  private CreatedKey insertApiKey(
      UUID userId, String owner, Set<String> groups, String name, Role role) {
    String secret = "ltb_" + randomToken();
    UUID id = UUID.randomUUID();
    String prefix = secret.substring(0, 12);
    List<String> sortedGroups = groups.stream().sorted().toList();
    jdbc.update(
        "INSERT INTO api_keys (id, user_id, owner, owner_groups, name, key_hash, key_prefix, role)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        userId,
        owner,
        sortedGroups,
        name,
        sha256(secret),
        prefix,
        role.id());
    return new CreatedKey(new ApiKey(id, userId, name, prefix, role, Instant.now(), null), secret);
  }

  private static final String KEY_COLUMNS =
      "id, user_id, name, key_prefix, role, created_at, revoked_at";

  private static ApiKey key(ResultSet rs) throws SQLException {
    return new ApiKey(
        rs.getObject(1, UUID.class),
        rs.getObject(2, UUID.class),
        rs.getString(3),
        rs.getString(4),
        Role.parse(rs.getString(5)),
        instant(rs.getTimestamp(6)),
        instant(rs.getTimestamp(7)));
  }

  /** The keys of a local account, or of every local account and IdP identity when null. */
  public List<ApiKey> apiKeys(UUID userId) {
    return jdbc.list(
        "SELECT "
            + KEY_COLUMNS
            + " FROM api_keys WHERE (?::uuid IS NULL OR user_id = ?::uuid) ORDER BY created_at",
        Accounts::key,
        userId,
        userId);
  }

  /** The keys of an IdP identity, by its owner key ("idp:<name>"). */
  public List<ApiKey> idpApiKeys(String owner) {
    return jdbc.list(
        "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE owner = ? ORDER BY created_at",
        Accounts::key,
        owner);
  }

  /** Revokes a key of {@code userId} (any user's when null); false when there was none. */
  public boolean revokeApiKey(UUID keyId, UUID userId) {
    return jdbc.update(
            "UPDATE api_keys SET revoked_at = NOW() WHERE id = ? AND revoked_at IS NULL"
                + " AND (?::uuid IS NULL OR user_id = ?::uuid)",
            keyId,
            userId,
            userId)
        == 1;
  }

  /** Revokes a key of the IdP identity {@code owner}; false when it has no such key. */
  public boolean revokeIdpApiKey(UUID keyId, String owner) {
    return jdbc.update(
            "UPDATE api_keys SET revoked_at = NOW() WHERE id = ? AND revoked_at IS NULL"
                + " AND owner = ?",
            keyId,
            owner)
        == 1;
  }

  /**
   * The caller an API key stands for. A local account's key: its owner (while active) with the
   * narrower of the key's role and the account's current role. An IdP identity's key: that identity
   * (name, groups at creation) with the key's role.
   */
  public Optional<Caller> apiKeyCaller(String secret) {
    return jdbc.one(
        "SELECT k.id, k.role, u.id, u.username, u.role, k.owner, k.owner_groups, u.groups FROM api_keys k"
            + " LEFT JOIN users u ON u.id = k.user_id WHERE k.key_hash = ?"
            + " AND k.revoked_at IS NULL AND (u.is_active OR (k.user_id IS NULL AND k.owner LIKE"
            + " 'idp:%'))",
        rs -> keyCaller(rs), sha256(secret));
  }

  private static Caller keyCaller(ResultSet rs) throws SQLException {
    Role keyRole = Role.parse(rs.getString(2));
    UUID userId = rs.getObject(3, UUID.class);
    if (userId != null) {
      return new Caller(
          rs.getString(4),
          userId,
          Role.narrowest(keyRole, Role.parse(rs.getString(5))),
          Set.copyOf(Rows.strings(rs, "groups")),
          "api-key",
          rs.getString(1),
          null);
    }
    java.sql.Array groups = rs.getArray(7);
    Set<String> owned =
        groups == null ? Set.of() : Set.copyOf(List.of((String[]) groups.getArray()));
    return new Caller(
        rs.getString(6).substring(IDP_OWNER.length()),
        null,
        keyRole,
        owned,
        "api-key",
        rs.getString(1),
        null);
  }

  /** The prefix of an IdP identity's owner key ({@link Visibility#ownerKey}). */
  static final String IDP_OWNER = "idp:";

  static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
