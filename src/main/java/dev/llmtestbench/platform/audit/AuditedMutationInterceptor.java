package dev.llmtestbench.platform.audit;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.security.Principal;
import java.time.Instant;
import java.util.Locale;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;

/**
 * Audits a GraphQL mutation as {@code mutation <name>}: the resource type from the name ({@code
 * createBenchmark} → {@code benchmarks}), the resource id from the {@code @Id} argument or the
 * result's {@code id}, the outcome {@code success} or {@code failure} with the error's class. HTTP
 * status is not recorded: GraphQL answers 200 either way. Arguments are never recorded.
 */
@AuditedMutation
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 100)
public class AuditedMutationInterceptor {

  private static final String[] VERBS = {
    "create",
    "update",
    "delete",
    "cancel",
    "restart",
    "register",
    "remove",
    "add",
    "set",
    "start",
    "stop",
    "import",
    "revoke",
    "share",
    "unshare"
  };

  @Inject AuditLog audit;
  @Inject ClientAddress clientAddress;
  @Inject Instance<HttpServletRequest> requests;

  @AroundInvoke
  Object around(InvocationContext ctx) throws Exception {
    Method m = ctx.getMethod();
    Mutation mutation = m.getAnnotation(Mutation.class);
    String name = mutation == null || mutation.value().isEmpty() ? m.getName() : mutation.value();
    String id = idArgument(m, ctx.getParameters());
    try {
      Object result = ctx.proceed();
      record(name, id == null ? idOf(result) : id, AuditEntry.SUCCESS, null);
      return result;
    } catch (Exception e) {
      record(name, id, AuditEntry.FAILURE, e.getClass().getSimpleName());
      throw e;
    }
  }

  private void record(String name, String id, String outcome, String error) {
    HttpServletRequest request = currentRequest();
    Principal p = request == null ? null : request.getUserPrincipal();
    audit.record(
        new AuditEntry(
            p == null ? null : p.getName(),
            "mutation " + name,
            resourceType(name),
            id,
            outcome,
            null,
            error,
            request == null ? null : clientAddress.of(request),
            request == null ? null : request.getHeader("User-Agent"),
            Instant.now()));
  }

  private HttpServletRequest currentRequest() {
    try {
      HttpServletRequest r = requests.get();
      r.getMethod(); // fails outside a request
      return r;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code createBenchmark} → {@code benchmarks}; a name without a known verb is kept whole. */
  static String resourceType(String mutation) {
    for (String verb : VERBS) {
      if (mutation.startsWith(verb)
          && mutation.length() > verb.length()
          && Character.isUpperCase(mutation.charAt(verb.length()))) {
        String noun = mutation.substring(verb.length());
        noun = Character.toLowerCase(noun.charAt(0)) + noun.substring(1);
        return noun.toLowerCase(Locale.ROOT).endsWith("s") ? noun : noun + "s";
      }
    }
    return mutation;
  }

  private static String idArgument(Method m, Object[] args) {
    Parameter[] params = m.getParameters();
    for (int i = 0; i < params.length && args != null && i < args.length; i++) {
      if (params[i].isAnnotationPresent(Id.class) && args[i] != null) {
        return String.valueOf(args[i]);
      }
    }
    return null;
  }

  /** The {@code id} of a mutation's result (a record accessor or a public field), if any. */
  private static String idOf(Object result) {
    if (result == null) {
      return null;
    }
    try {
      Method id = result.getClass().getMethod("id");
      Object v = id.invoke(result);
      return v == null ? null : String.valueOf(v);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // no accessor: try a field
    }
    try {
      Object v = result.getClass().getField("id").get(result);
      return v == null ? null : String.valueOf(v);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
