package dev.llmtestbench.provider.spi;

import java.util.ArrayList;
import java.util.List;

/** What a provider (or one of its models) can do, for routing runs and finding providers. */
public record Capabilities(
    boolean streaming,
    boolean vision,
    boolean audio,
    boolean functionCalling,
    boolean jsonMode,
    boolean logprobs,
    boolean embeddings,
    boolean rerank,
    Integer maxContextTokens) {

  public static final Capabilities TEXT_ONLY =
      new Capabilities(false, false, false, false, false, false, false, false, null);

  /** The capability names that are true, e.g. {@code [streaming, vision]}. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    if (streaming) names.add("streaming");
    if (vision) names.add("vision");
    if (audio) names.add("audio");
    if (functionCalling) names.add("function_calling");
    if (jsonMode) names.add("json_mode");
    if (logprobs) names.add("logprobs");
    if (embeddings) names.add("embeddings");
    if (rerank) names.add("rerank");
    return names;
  }
}
