package dev.llmtestbench.dataset.domain;

/**
 * An output a model already produced for a test case (from logs or another tool), scored by a run
 * without calling any provider; the measurements are optional and reported as recorded.
 */
public record RecordedOutput(
    String output,
    Double latencyMs,
    Integer promptTokens,
    Integer completionTokens,
    Double cost,
    String finishReason) {

  /** Just the text. */
  public static RecordedOutput of(String output) {
    return new RecordedOutput(output, null, null, null, null, null);
  }
}
