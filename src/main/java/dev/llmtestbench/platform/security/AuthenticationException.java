package dev.llmtestbench.platform.security;

/** A credential was presented but is not valid; the request is answered 401. */
public class AuthenticationException extends Exception {
  public AuthenticationException(String message) {
    super(message);
  }

  public AuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
