package dev.llmtestbench.platform.web;

import java.io.IOException;

/** A request body is larger than its limit; the REST layer answers {@code 413}. */
public final class BodyTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  public BodyTooLargeException(long limit) {
    super(
        "The request body is larger than "
            + limit
            + " bytes (ltb.http.max-body-bytes); send less, or import large datasets with POST"
            + " /api/v1/datasets/import.");
  }
}
