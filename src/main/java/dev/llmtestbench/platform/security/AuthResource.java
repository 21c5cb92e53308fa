package dev.llmtestbench.platform.security;

import dev.llmtestbench.platform.audit.AuditLog;
import dev.llmtestbench.platform.rest.ApiException;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Standalone login, token refresh and logout, the caller's identity, and API keys. */
@Path("/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Auth")
public class AuthResource {

  @Inject Accounts accounts;
  @Inject ServerTokens tokens;
  @Inject Authenticator authenticator;
  @Context HttpServletRequest request;
  @Inject AuditLog audit;

  public record LoginRequest(String username, String password) {}

  public record RefreshRequest(String refreshToken) {}

  public record TokenResponse(
      String accessToken,
      String tokenType,
      long expiresIn,
      String refreshToken,
      String username,
      String role) {}

  public record Me(String name, String userId, String role, List<String> groups, String via) {}

  public record CreateApiKeyRequest(String name, String role) {}

  public record ApiKeyView(
      String id,
      String name,
      String prefix,
      String role,
      Instant createdAt,
      Instant revokedAt,
      String key) {}

  @POST
  @Path("/login")
  @PublicEndpoint
  @Operation(summary = "Log in with a local account: an access token and a refresh token")
  public TokenResponse login(LoginRequest body) {
    if (body == null || body.username() == null || body.password() == null) {
      throw ApiException.badRequest("username and password are required.");
    }
    String[] hash = new String[1];
    var user = accounts.byUsernameWithPassword(body.username(), hash);
    boolean ok = PasswordHasher.verify(body.password(), user.isPresent() ? hash[0] : null);
    // Recorded here, with the name tried, rather than by the audit's REST filter.
    request.setAttribute(AuditLog.RECORDED, Boolean.TRUE);
    if (!ok || !user.get().active()) {
      audit.login(body.username(), false, 401, "unauthenticated", request);
      throw new ApiException(
          401, "unauthenticated", "Authentication failed", "Unknown user or wrong password.");
    }
    accounts.touchLogin(user.get().id());
    audit.login(body.username(), true, 200, null, request);
    return tokensFor(user.get());
  }

  @POST
  @Path("/refresh")
  @PublicEndpoint
  @Operation(summary = "A new access token (and a new refresh token) for a refresh token")
  public TokenResponse refresh(RefreshRequest body) {
    if (body == null || body.refreshToken() == null) {
      throw ApiException.badRequest("refreshToken is required.");
    }
    var user =
        accounts
            .consumeRefreshToken(body.refreshToken())
            .flatMap(accounts::byId)
            .filter(Accounts.User::active)
            .orElseThrow(
                () ->
                    new ApiException(
                        401,
                        "unauthenticated",
                        "Authentication failed",
                        "The refresh token is unknown, used, revoked or expired."));
    return tokensFor(user);
  }

  @POST
  @Path("/logout")
  @RequiresAuthentication
  @Operation(summary = "Revoke the presented access token and, when given, the refresh token")
  @APIResponse(
      responseCode = "204",
      description = "Logged out: the refresh token and the access token presented are revoked")
  public Response logout(RefreshRequest body) {
    Caller caller = caller();
    authenticator.revoke(caller);
    if (body != null && body.refreshToken() != null) {
      accounts.consumeRefreshToken(body.refreshToken());
    }
    return Response.noContent().build();
  }

  @GET
  @Path("/me")
  @RequiresAuthentication
  @Operation(summary = "The caller's identity and role")
  public Me me() {
    Caller c = caller();
    return new Me(
        c.name(),
        c.userId() == null ? null : c.userId().toString(),
        c.role() == null ? null : c.role().id(),
        c.groups().stream().sorted().toList(),
        c.via());
  }

  @GET
  @Path("/jwks")
  @PublicEndpoint
  @Produces({"application/jwk-set+json", MediaType.APPLICATION_JSON})
  @Operation(summary = "The public keys of the tokens this server issues (JWKS)")
  public Map<String, Object> jwks() {
    return tokens.publicKeys().toJSONObject(true);
  }

  @POST
  @Path("/apikey")
  @RequiresAuthentication
  @Operation(summary = "Create an API key (shown once) with the caller's role or a narrower one")
  @APIResponse(
      responseCode = "201",
      description = "The key, with its secret shown this once",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiKeyView.class)))
  public Response createApiKey(CreateApiKeyRequest body) {
    Caller c = caller();
    KeyGrant grant = keyGrant(c, body == null ? null : body.role());
    String name = body == null || body.name() == null ? "api key" : body.name();
    if (name.length() > 255) {
      throw ApiException.badRequest("name is longer than 255 characters.");
    }
    var created =
        grant.idp()
            ? accounts.createIdpApiKey(Visibility.ownerKey(c), c.groups(), name, grant.role())
            : accounts.createApiKey(c.userId(), name, grant.role());
    return Response.status(201).entity(view(created.key(), created.secret())).build();
  }

  @GET
  @Path("/apikey")
  @RequiresAuthentication
  @Operation(summary = "The caller's API keys (never the keys themselves)")
  public List<ApiKeyView> apiKeys() {
    Caller c = caller();
    List<Accounts.ApiKey> keys =
        c.userId() != null
            ? accounts.apiKeys(c.userId())
            : accounts.idpApiKeys(Visibility.ownerKey(c));
    return keys.stream().map(k -> view(k, null)).toList();
  }

  @DELETE
  @Path("/apikey/{id}")
  @RequiresAuthentication
  @Operation(summary = "Revoke an API key (the caller's own; any key with ManageUsers)")
  @APIResponse(responseCode = "204", description = "Revoked")
  public Response revokeApiKey(@PathParam("id") String id) {
    Caller c = caller();
    UUID keyId;
    try {
      keyId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("API key", id);
    }
    boolean revoked =
        c.has(Permission.MANAGE_USERS)
            ? accounts.revokeApiKey(keyId, null)
            : c.userId() != null
                ? accounts.revokeApiKey(keyId, c.userId())
                : accounts.revokeIdpApiKey(keyId, Visibility.ownerKey(c));
    if (!revoked) {
      throw ApiException.notFound("API key", id);
    }
    authenticator.forgetApiKeys();
    return Response.noContent().build();
  }

  /** A key the caller may create: for an IdP identity (no users row) or a local account. */
  record KeyGrant(boolean idp, Role role) {}

  /**
   * Whether {@code c} may create an API key with {@code requestedRole} (null: the caller's role),
   * and for whom: a local account logged in with a password token, or an identity of the corporate
   * IdP (its own token); never with an API key, never without a role or wider than the caller.
   */
  static KeyGrant keyGrant(Caller c, String requestedRole) {
    boolean local = c.userId() != null && "local".equals(c.via());
    boolean idp = c.userId() == null && "idp".equals(c.via());
    if (!local && !idp) {
      throw new ApiException(
          403,
          "forbidden",
          "Forbidden",
          "API keys are created with a login token or a token of the corporate IdP, not with an"
              + " API key.");
    }
    if (c.role() == null) {
      throw new ApiException(403, "forbidden", "Forbidden", "The caller has no role.");
    }
    Role role = c.role();
    if (requestedRole != null) {
      role = Role.parse(requestedRole);
      if (role == null) {
        throw ApiException.badRequest("role must be admin, user or viewer.");
      }
      if (!c.role().covers(role)) {
        throw new ApiException(
            403, "forbidden", "Forbidden", "A key cannot have a wider role than its owner.");
      }
    }
    return new KeyGrant(idp, role);
  }

  private Caller caller() {
    return (Caller) request.getAttribute(Caller.ATTRIBUTE);
  }

  private TokenResponse tokensFor(Accounts.User user) {
    ServerTokens.Issued access =
        tokens.issue(user.id(), user.username(), user.role(), user.groups());
    String refresh = accounts.newRefreshToken(user.id());
    return new TokenResponse(
        access.token(),
        "Bearer",
        Duration.between(Instant.now(), access.expiresAt()).toSeconds(),
        refresh,
        user.username(),
        user.role().id());
  }

  private static ApiKeyView view(Accounts.ApiKey k, String secret) {
    return new ApiKeyView(
        k.id().toString(),
        k.name(),
        k.prefix(),
        k.role().id(),
        k.createdAt(),
        k.revokedAt(),
        secret);
  }
}
