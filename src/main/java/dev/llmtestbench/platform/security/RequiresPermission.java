package dev.llmtestbench.platform.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission a REST resource method (or every method of a resource class) requires. A resource
 * method with neither this nor {@link PublicEndpoint} is refused to everyone (403): new endpoints
 * cannot be forgotten. See docs/security.md.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresPermission {
  Permission value();
}
