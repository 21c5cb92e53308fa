package dev.llmtestbench.platform.security;

import dev.llmtestbench.platform.rest.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.graphql.GraphQLException;

/**
 * The current request's caller, for code outside JAX-RS resource methods (GraphQL operations):
 * {@code callers.require(Permission.RUN_BENCHMARK)} at the top of each operation.
 */
@ApplicationScoped
public class Callers {

  @Inject HttpServletRequest request;

  /** The caller, or null when the request is anonymous or there is no request. */
  public Caller current() {
    try {
      return (Caller) request.getAttribute(Caller.ATTRIBUTE);
    } catch (RuntimeException e) {
      return null; // No active request (a batch thread).
    }
  }

  /** The caller, who must hold {@code p}; else an ApiException (401 or 403). */
  /**
   * {@link #require} for a GraphQL operation: a caller without {@code p} gets a GraphQL error with
   * the same message as REST's 401 or 403.
   */
  public void requireInGraphQL(Permission p) throws GraphQLException {
    try {
      require(p);
    } catch (ApiException e) {
      throw new GraphQLException(
          e.getMessage(), GraphQLException.ExceptionType.DataFetchingException);
    }
  }

  /**
   * {@code group} checked as the group the current caller shares a resource with: null or blank
   * stays unshared; a 400 (naming {@code field}) for a name that is no group name, a 403 for a
   * group the caller is not in (admins share with any group).
   */
  public String requireMayShareWith(String group, String field) {
    if (group == null || group.isBlank()) {
      return null;
    }
    if (!Visibility.validGroup(group)) {
      throw ApiException.badRequest(
          field + ": '" + group + "' is not a group name (" + Visibility.GROUP_SYNTAX + ").",
          java.util.List.of(new ApiException.Violation(field, "not a group name")));
    }
    Visibility v = Visibility.of(current());
    if (!v.mayShareWith(group)) {
      throw new ApiException(
          403,
          "not-a-member",
          "Not a member of the group",
          field
              + ": you can only share with a group you are in; yours are "
              + v.groups()
              + " (an admin adds local accounts to groups with PATCH /api/v1/users/{id}).");
    }
    return group;
  }

  public Caller require(Permission p) {
    Caller c = current();
    if (c == null) {
      throw new ApiException(
          401,
          "unauthenticated",
          "Authentication required",
          "A bearer token or API key is required.");
    }
    if (!c.has(p)) {
      throw new ApiException(
          403, "forbidden", "Forbidden", "This operation requires the " + p + " permission.");
    }
    return c;
  }
}
