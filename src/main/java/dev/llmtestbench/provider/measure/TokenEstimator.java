package dev.llmtestbench.provider.measure;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.ToolCall;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Estimates token counts with OpenAI's BPE encodings (jtokkit) when a provider reports no usage.
 *
 * <p>Encoding by model id (case-insensitive, after dropping an {@code ft:} fine-tune prefix and a
 * {@code vendor/} namespace): {@code o200k_base} for {@code gpt-4o*}, {@code chatgpt-4o*}, {@code
 * gpt-4.1*}, {@code gpt-4.5*}, {@code gpt-5*} and later {@code gpt-N}, {@code gpt-oss*}, {@code
 * o1*}, {@code o3*}, {@code o4*}; {@code cl100k_base} for {@code gpt-4*}, {@code gpt-3.5*}, {@code
 * gpt-35*} and {@code text-embedding-*}. This mirrors {@code MODEL_PREFIX_TO_ENCODING} in
 * tiktoken's {@code model.py}. Every other model (Claude, Gemini, Mistral, Command, Llama, ...) has
 * its own tokenizer that is not public or not BPE-compatible, so it is counted with {@code
 * cl100k_base} as a documented approximation, typically within some tens of percent of the real
 * count; such counts are marked estimated anyway.
 *
 * <p>Thread-safe and cheap to create: the two encodings are loaded once per JVM, each on first use.
 * Strings that look like special tokens (e.g. {@code <|endoftext|>}) are counted as ordinary text,
 * as the APIs treat message content.
 */
public final class TokenEstimator {

  /**
   * Tokens every chat message costs on top of its content: {@code <|start|>}, the role and {@code
   * <|end|>} ({@code tokens_per_message = 3} in the OpenAI cookbook "How to count tokens with
   * tiktoken", section 6, for gpt-3.5-turbo-0125, gpt-4, gpt-4o and gpt-4o-mini).
   */
  public static final int TOKENS_PER_MESSAGE = 3;

  /**
   * Extra tokens when a message carries a {@code name} ({@code tokens_per_name = 1} in the same
   * cookbook). {@link ChatMessage} has no name today, so {@link #countPrompt} never adds it.
   */
  public static final int TOKENS_PER_NAME = 1;

  /**
   * Tokens priming every reply, {@code <|start|>assistant<|message|>} ({@code num_tokens += 3} in
   * the same cookbook).
   */
  public static final int REPLY_PRIMING_TOKENS = 3;

  static final String O200K_BASE = "o200k_base";
  static final String CL100K_BASE = "cl100k_base";

  // Order matters: gpt-4o, gpt-4.1 and gpt-4.5 start with gpt-4 but use o200k_base.
  private static final List<String> O200K_PREFIXES =
      List.of("gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-oss", "o1", "o3", "o4", "gpt-5");

  /** Creates an estimator; the encodings themselves are shared by all instances. */
  public TokenEstimator() {}

  /** The encoding used for {@code model}: {@code o200k_base} or {@code cl100k_base}. */
  public static String encodingName(String model) {
    String id = normalize(model);
    for (String prefix : O200K_PREFIXES) {
      if (id.startsWith(prefix)) {
        return O200K_BASE;
      }
    }
    // gpt-6, gpt-7, ... keep o200k_base until OpenAI says otherwise.
    if (id.startsWith("gpt-") && id.length() > 4 && isDigitAtLeast(id.charAt(4), '5')) {
      return O200K_BASE;
    }
    return CL100K_BASE;
  }

  /** Tokens in {@code text} for {@code model}; 0 for null or empty text. */
  public int count(String model, String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    return encoding(model).countTokensOrdinary(text);
  }

  /**
   * Prompt tokens of a chat: per message {@link #TOKENS_PER_MESSAGE} plus its role and content,
   * then {@link #REPLY_PRIMING_TOKENS} once, as OpenAI's cookbook "How to count tokens with
   * tiktoken" counts them (its example conversation comes to 129 tokens for gpt-4 and 124 for
   * gpt-4o, matching the API). Image and audio parts and tool definitions are not counted: their
   * cost depends on provider-specific rules (image tiles, audio seconds, tool-schema rendering).
   */
  public int countPrompt(String model, List<ChatMessage> messages) {
    Encoding encoding = encoding(model);
    int tokens = REPLY_PRIMING_TOKENS;
    if (messages == null) {
      return tokens;
    }
    for (ChatMessage message : messages) {
      tokens += TOKENS_PER_MESSAGE;
      tokens += encoding.countTokensOrdinary(message.role());
      tokens += encoding.countTokensOrdinary(message.content());
    }
    return tokens;
  }

  /**
   * Returns {@code completion} unchanged when the provider reported both prompt and completion
   * tokens; otherwise the same completion with the missing counts estimated (a reported count is
   * kept) and {@link Completion#tokensEstimated()} set. The model is {@code model}, else the
   * request's. Completion tokens cover the text and any tool calls' names and arguments.
   */
  public Completion estimateIfMissing(
      String model, CompletionRequest request, Completion completion) {
    Objects.requireNonNull(completion, "completion");
    if (completion.promptTokens() != null && completion.completionTokens() != null) {
      return completion;
    }
    String effectiveModel = model != null ? model : request == null ? null : request.model();
    int prompt =
        completion.promptTokens() != null
            ? completion.promptTokens()
            : countPrompt(effectiveModel, request == null ? List.of() : request.messages());
    int output =
        completion.completionTokens() != null
            ? completion.completionTokens()
            : countCompletion(effectiveModel, completion);
    return completion.withEstimatedTokens(prompt, output);
  }

  private int countCompletion(String model, Completion completion) {
    int tokens = count(model, completion.text());
    for (ToolCall call : completion.toolCalls()) {
      tokens += count(model, call.name()) + count(model, call.arguments());
    }
    return tokens;
  }

  private static Encoding encoding(String model) {
    return O200K_BASE.equals(encodingName(model)) ? O200k.ENCODING : Cl100k.ENCODING;
  }

  private static String normalize(String model) {
    if (model == null) {
      return "";
    }
    String id = model.trim().toLowerCase(Locale.ROOT);
    if (id.startsWith("ft:")) {
      id = id.substring(3);
    }
    int slash = id.lastIndexOf('/');
    return slash >= 0 ? id.substring(slash + 1) : id;
  }

  private static boolean isDigitAtLeast(char c, char min) {
    return c >= min && c <= '9';
  }

  // Holder classes: each encoding's table (several MB) is loaded once, on first use, by the JVM's
  // thread-safe class initialization.
  private static final class O200k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private static final class Cl100k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }
}
