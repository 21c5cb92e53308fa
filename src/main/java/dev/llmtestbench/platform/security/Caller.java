package dev.llmtestbench.platform.security;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * The authenticated identity of a request: the principal that {@code
 * HttpServletRequest.getUserPrincipal()} and JAX-RS {@code SecurityContext.getUserPrincipal()}
 * return.
 *
 * @param name the principal name: a local user's username, or the IdP token's {@code upn}, {@code
 *     preferred_username} or {@code sub}
 * @param userId the local account's id; null for identities of the corporate IdP (and their API
 *     keys)
 * @param role the role, or null when the IdP's groups map to none (authenticated, no permission)
 * @param groups the IdP groups (empty for local accounts; for an IdP identity's API key, its groups
 *     when the key was created)
 * @param via how the caller authenticated: {@code idp}, {@code local} (a server-issued token) or
 *     {@code api-key}
 * @param tokenId the access token's {@code jti} (local tokens), the API key's id, or null
 * @param expiresAt when the credential expires, or null
 */
public record Caller(
    String name,
    UUID userId,
    Role role,
    Set<String> groups,
    String via,
    String tokenId,
    Instant expiresAt)
    implements Principal {

  /** The request attribute holding the caller (absent: anonymous). */
  public static final String ATTRIBUTE = Caller.class.getName();

  @Override
  public String getName() {
    return name;
  }

  public boolean has(Permission p) {
    return role != null && role.grants(p);
  }
}
