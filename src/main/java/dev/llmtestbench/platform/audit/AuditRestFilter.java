package dev.llmtestbench.platform.audit;

import dev.llmtestbench.platform.rest.Problem;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Set;

/**
 * Audits every REST call that may change state (any method but GET, HEAD and OPTIONS) once it has
 * been answered: the operation's route as the action ({@code POST /benchmarks/{id}/cancel}), its
 * first path segment as the resource type, its {@code id} or {@code name} path parameter (or the
 * {@code Location} of a 201) as the resource id, and the status and problem type as the outcome.
 * Calls that match no operation are not audited. Bodies are never read.
 */
@Provider
public class AuditRestFilter implements ContainerResponseFilter {

  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  @Inject AuditLog audit;
  @Context ResourceInfo resourceInfo;
  @Context HttpServletRequest request;

  @Override
  public void filter(ContainerRequestContext req, ContainerResponseContext res) {
    if (READS.contains(req.getMethod())
        || (request != null && request.getAttribute(AuditLog.RECORDED) != null)) {
      return; // a read, or recorded by the resource itself (a login, with the name tried)
    }
    Method method = resourceInfo == null ? null : resourceInfo.getResourceMethod();
    if (method == null) {
      return;
    }
    String template = route(resourceInfo.getResourceClass(), method);
    String type = firstSegment(template);
    String id = resourceId(req.getUriInfo().getPathParameters(), res);
    String error = null;
    if (res.getStatus() >= 400 && res.getEntity() instanceof Problem p && p.type() != null) {
      error = p.type().substring(p.type().lastIndexOf('/') + 1);
    }
    audit.record(request, req.getMethod() + " " + template, type, id, res.getStatus(), error);
  }

  /** The route template of a resource method, e.g. {@code /benchmarks/{id}/cancel}. */
  static String route(Class<?> resource, Method method) {
    Path classPath = resource == null ? null : resource.getAnnotation(Path.class);
    Path methodPath = method.getAnnotation(Path.class);
    String joined =
        "/"
            + strip(classPath == null ? "" : classPath.value())
            + "/"
            + strip(methodPath == null ? "" : methodPath.value());
    joined = joined.replaceAll("/+", "/");
    // Regular expressions in templates ({id: [0-9]+}) are noise in an action name.
    joined = joined.replaceAll("\\{\\s*([\\w.-]+)\\s*:[^}]*}", "{$1}");
    return joined.length() > 1 && joined.endsWith("/")
        ? joined.substring(0, joined.length() - 1)
        : joined;
  }

  static String firstSegment(String template) {
    String t = template.startsWith("/") ? template.substring(1) : template;
    int slash = t.indexOf('/');
    String s = slash < 0 ? t : t.substring(0, slash);
    return s.isEmpty() ? "api" : s;
  }

  private static String resourceId(
      MultivaluedMap<String, String> params, ContainerResponseContext res) {
    for (String name : new String[] {"id", "name"}) {
      String v = params.getFirst(name);
      if (v != null) {
        return v;
      }
    }
    if (!params.isEmpty()) {
      return params.values().iterator().next().get(0);
    }
    URI location = res.getLocation();
    if (res.getStatus() == 201 && location != null && location.getPath() != null) {
      String p = location.getPath();
      return p.substring(p.lastIndexOf('/') + 1);
    }
    return null;
  }

  private static String strip(String s) {
    return s.replaceAll("^/+|/+$", "");
  }
}
