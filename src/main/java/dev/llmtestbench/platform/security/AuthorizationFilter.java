package dev.llmtestbench.platform.security;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.logging.Logger;

/**
 * Default-deny authorization of every REST resource method: {@link PublicEndpoint} methods are
 * open; every other method needs an authenticated caller (else 401) whose role grants the method's
 * (or its class's) {@link RequiresPermission} (else 403). A method that declares neither is refused
 * to everyone, so an endpoint added without a permission is never open.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class AuthorizationFilter implements ContainerRequestFilter {

  private static final Logger LOG = Logger.getLogger(AuthorizationFilter.class.getName());

  @Context ResourceInfo resource;
  @Context HttpServletRequest request;

  @Override
  public void filter(ContainerRequestContext ctx) {
    Method method = resource.getResourceMethod();
    if (method == null) {
      return; // No resource method runs (e.g. an automatic OPTIONS answer).
    }
    if (method.isAnnotationPresent(PublicEndpoint.class)) {
      return;
    }
    String instance = ctx.getUriInfo().getRequestUri().getRawPath();
    Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
    if (caller == null) {
      ctx.abortWith(
          AuthProblems.unauthorized(
              "This endpoint requires a bearer token or an API key.", false, instance));
      return;
    }
    if (method.isAnnotationPresent(RequiresAuthentication.class)) {
      return;
    }
    RequiresPermission required = method.getAnnotation(RequiresPermission.class);
    if (required == null) {
      required = resource.getResourceClass().getAnnotation(RequiresPermission.class);
    }
    if (required == null) {
      LOG.warning(
          () ->
              "Refused "
                  + resource.getResourceClass().getSimpleName()
                  + "."
                  + method.getName()
                  + ": it declares no @RequiresPermission");
      ctx.abortWith(AuthProblems.forbidden("This operation declares no permission.", instance));
      return;
    }
    if (!caller.has(required.value())) {
      ctx.abortWith(
          AuthProblems.forbidden(
              "This operation requires the "
                  + required.value()
                  + " permission, which the role "
                  + (caller.role() == null ? "(none)" : caller.role().id())
                  + " does not grant.",
              instance));
    }
  }
}
