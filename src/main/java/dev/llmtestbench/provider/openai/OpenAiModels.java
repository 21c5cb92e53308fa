package dev.llmtestbench.provider.openai;

import dev.llmtestbench.provider.spi.Capabilities;
import java.util.Locale;

/**
 * What OpenAI's models can do, judged by model name prefix (Azure deployments are usually named
 * after their model, so they are judged the same way). Names it does not recognise, such as the
 * models of other OpenAI-compatible servers, are assumed to stream, call tools and take JSON mode,
 * and nothing more.
 */
final class OpenAiModels {

  /** The service as a whole: everything some model offers. */
  static final Capabilities ANY =
      new Capabilities(true, true, true, true, true, true, true, false, null);

  static final Capabilities UNKNOWN =
      new Capabilities(true, false, false, true, true, false, false, false, null);

  private OpenAiModels() {}

  static Capabilities capabilities(String model) {
    if (model == null || model.isBlank()) {
      return ANY;
    }
    String name = model.toLowerCase(Locale.ROOT).strip();
    if (name.startsWith("text-embedding-")) {
      return new Capabilities(false, false, false, false, false, false, true, false, 8191);
    }
    if (name.contains("-audio") || name.startsWith("gpt-audio")) {
      return new Capabilities(true, false, true, true, true, false, false, false, 128_000);
    }
    if (name.startsWith("gpt-4o") || name.startsWith("chatgpt-4o")) {
      return new Capabilities(true, true, false, true, true, true, false, false, 128_000);
    }
    if (name.startsWith("gpt-4.1")) {
      return new Capabilities(true, true, false, true, true, true, false, false, 1_047_576);
    }
    // Reasoning models return no log probabilities.
    if (name.startsWith("gpt-5")) {
      return new Capabilities(true, true, false, true, true, false, false, false, 400_000);
    }
    if (isReasoningSeries(name)) {
      return new Capabilities(true, true, false, true, true, false, false, false, 200_000);
    }
    if (name.startsWith("gpt-4-turbo")) {
      return new Capabilities(true, true, false, true, true, true, false, false, 128_000);
    }
    if (name.startsWith("gpt-3.5-turbo") || name.startsWith("gpt-35-turbo")) {
      return new Capabilities(true, false, false, true, true, true, false, false, 16_385);
    }
    if (name.startsWith("gpt-4")) {
      return new Capabilities(true, false, false, true, false, true, false, false, 8_192);
    }
    return UNKNOWN;
  }

  /** o1, o3, o4-mini, ...: the models that take max_completion_tokens instead of max_tokens. */
  static boolean takesMaxCompletionTokens(String model) {
    if (model == null) {
      return false;
    }
    String name = model.toLowerCase(Locale.ROOT).strip();
    return name.startsWith("o1")
        || name.startsWith("o3")
        || name.startsWith("o4")
        || name.startsWith("gpt-5");
  }

  private static boolean isReasoningSeries(String name) {
    return name.length() > 1 && name.charAt(0) == 'o' && Character.isDigit(name.charAt(1));
  }
}
