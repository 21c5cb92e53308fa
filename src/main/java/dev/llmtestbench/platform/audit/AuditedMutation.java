package dev.llmtestbench.platform.audit;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Audits a GraphQL mutation. {@link GraphQLAuditExtension} puts it on every {@code @Mutation} of
 * every {@code @GraphQLApi} class, so new mutations are audited without anyone remembering to.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AuditedMutation {

  /** The annotation instance the extension adds. */
  final class Literal extends jakarta.enterprise.util.AnnotationLiteral<AuditedMutation>
      implements AuditedMutation {
    public static final Literal INSTANCE = new Literal();
    private static final long serialVersionUID = 1L;
  }
}
