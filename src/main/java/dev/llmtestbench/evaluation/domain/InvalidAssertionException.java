package dev.llmtestbench.evaluation.domain;

/** Thrown when an assertion's configuration cannot work; the message says what to fix. */
public class InvalidAssertionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int index;
  private final String type;

  /**
   * Creates the exception.
   *
   * @param index the 1-based position of the assertion in its list, or 0 when not in a list
   * @param type the assertion's type as configured, may be null
   * @param problem what is wrong and how to fix it, e.g. {@code "'value' is required ..."}
   * @param cause the underlying error, may be null
   */
  public InvalidAssertionException(int index, String type, String problem, Throwable cause) {
    super(describe(index, type) + ": " + problem, cause);
    this.index = index;
    this.type = type;
  }

  /** Creates the exception without an underlying cause. */
  public InvalidAssertionException(int index, String type, String problem) {
    this(index, type, problem, null);
  }

  /** Returns the 1-based position of the offending assertion, or 0 when it was not in a list. */
  public int index() {
    return index;
  }

  /** Returns the offending assertion's type as configured, or null when it had none. */
  public String type() {
    return type;
  }

  private static String describe(int index, String type) {
    String position = index > 0 ? "Assertion " + index : "Assertion";
    return type == null ? position : position + " ('" + type + "')";
  }
}
