package dev.llmtestbench.platform.security;

import dev.llmtestbench.platform.rest.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Local accounts, for admins (ManageUsers). */
@Path("/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
@RequiresPermission(Permission.MANAGE_USERS)
public class UserResource {

  static final int MIN_PASSWORD_LENGTH = 12;

  @Inject Accounts accounts;

  /**
   * A new local account; {@code groups} (optional) are the groups runs and datasets are shared with
   * (docs/security.md, "Ownership").
   */
  public record CreateUserRequest(
      String username, String password, String role, String email, List<String> groups) {}

  /**
   * What changes; {@code groups} replaces the account's groups (takes effect at its next login).
   */
  public record UpdateUserRequest(
      String role, Boolean active, String password, List<String> groups) {}

  public record UserView(
      String id,
      String username,
      String email,
      String role,
      boolean active,
      Instant createdAt,
      Instant lastLoginAt,
      List<String> groups) {}

  @GET
  @Operation(summary = "Local accounts")
  public List<UserView> list() {
    return accounts.list().stream().map(UserResource::view).toList();
  }

  @POST
  @Operation(summary = "Create a local account")
  @APIResponse(
      responseCode = "201",
      description = "The account; Location names it",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = UserView.class)))
  public Response create(CreateUserRequest body) {
    if (body == null || body.username() == null || body.username().isBlank()) {
      throw ApiException.badRequest("username is required.");
    }
    if (body.username().length() > 255 || !body.username().matches("[\\w.@+-]+")) {
      throw ApiException.badRequest(
          "username may hold letters, digits and . @ + - _ (at most 255).");
    }
    checkPassword(body.password());
    Role role = body.role() == null ? Role.VIEWER : Role.parse(body.role());
    if (role == null) {
      throw ApiException.badRequest("role must be admin, user or viewer.");
    }
    List<String> groups = groups(body.groups());
    UUID id = UUID.randomUUID();
    if (!accounts.create(
        id,
        body.username(),
        body.email(),
        body.password(),
        role,
        groups == null ? List.of() : groups)) {
      throw ApiException.conflict("A user named '" + body.username() + "' exists.");
    }
    return Response.created(URI.create("/api/v1/users/" + id))
        .entity(view(accounts.byId(id).orElseThrow()))
        .build();
  }

  @PATCH
  @Path("/{id}")
  @Operation(summary = "Change a local account's role, password, groups or active flag")
  public UserView update(@PathParam("id") String id, UpdateUserRequest body) {
    UUID uid;
    try {
      uid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("User", id);
    }
    if (body == null) {
      throw ApiException.badRequest("A body with role, active, password or groups is required.");
    }
    Role role = null;
    if (body.role() != null) {
      role = Role.parse(body.role());
      if (role == null) {
        throw ApiException.badRequest("role must be admin, user or viewer.");
      }
    }
    if (body.password() != null) {
      checkPassword(body.password());
    }
    if (!accounts.update(uid, role, body.active(), body.password(), groups(body.groups()))) {
      throw ApiException.notFound("User", id);
    }
    return view(accounts.byId(uid).orElseThrow());
  }

  /** The groups, checked (a 400 naming the bad one); null stays null (unchanged). */
  static List<String> groups(List<String> groups) {
    if (groups == null) {
      return null;
    }
    if (groups.size() > MAX_GROUPS) {
      throw ApiException.badRequest("groups: at most " + MAX_GROUPS + " groups.");
    }
    for (String g : groups) {
      if (!Visibility.validGroup(g)) {
        throw ApiException.badRequest(
            "groups: '" + g + "' is not a group name (" + Visibility.GROUP_SYNTAX + ").");
      }
    }
    return groups.stream().distinct().sorted().toList();
  }

  static final int MAX_GROUPS = 100;

  private static void checkPassword(String password) {
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      throw ApiException.badRequest(
          "password must have at least " + MIN_PASSWORD_LENGTH + " characters.");
    }
  }

  private static UserView view(Accounts.User u) {
    return new UserView(
        u.id().toString(),
        u.username(),
        u.email(),
        u.role().id(),
        u.active(),
        u.createdAt(),
        u.lastLoginAt(),
        u.groups());
  }
}
