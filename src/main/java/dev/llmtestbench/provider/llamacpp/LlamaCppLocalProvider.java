package dev.llmtestbench.provider.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.llmtestbench.provider.spi.Capabilities;
import dev.llmtestbench.provider.spi.ChatMessage;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import dev.llmtestbench.provider.spi.HealthReport;
import dev.llmtestbench.provider.spi.ModelInfo;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderException;
import dev.llmtestbench.provider.spi.ProviderException.Kind;
import dev.llmtestbench.provider.spi.ResponseFormat;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A {@link Provider} that runs one GGUF model inside this JVM with llama.cpp (through the
 * java-llama.cpp binding): loaded once, on first use, on a dedicated thread that also serializes
 * every generation, since a llama.cpp context must not be used concurrently.
 *
 * <p>Token counts come from the model's own tokenizer and sampler, so they are real, not estimated.
 * Structured output uses llama.cpp's grammar sampling; tools, images, audio and log probabilities
 * are not offered.
 */
public final class LlamaCppLocalProvider implements Provider, AutoCloseable {

  /** The provider type this adapter implements. */
  public static final String TYPE = "llamacpp-local";

  /** Setting: the .gguf file to load (required). */
  public static final String MODEL_PATH = "model-path";

  /** Setting: the context window in tokens (default 2048). */
  public static final String CONTEXT_SIZE = "context-size";

  /** Setting: CPU threads for generation (default: the available processors). */
  public static final String THREADS = "threads";

  /** Setting: layers to offload to a GPU (default 0; the bundled library is CPU-only on Linux). */
  public static final String GPU_LAYERS = "gpu-layers";

  /** Setting: the sampling seed, for repeatable answers (default: random). */
  public static final String SEED = "seed";

  /** Setting: whether llama.cpp writes its log to standard error (default true). */
  public static final String NATIVE_LOG = "native-log";

  static final int DEFAULT_CONTEXT_SIZE = 2048;
  static final int DEFAULT_MAX_TOKENS = 256;
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
  private static final Logger LOG = Logger.getLogger(LlamaCppLocalProvider.class.getName());
  private static final String ANY_JSON_OBJECT = "{\"type\":\"object\"}";
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final ProviderConfig config;
  private final Path modelPath;
  private final String modelId;
  private final int contextSize;
  private final int threads;
  private final int gpuLayers;
  private final Integer seed;
  private final boolean nativeLog;
  private final Duration defaultTimeout;
  private final ExecutorService worker;

  // Touched only on the worker thread.
  private LlamaModel model;
  private GgufMetadata metadata;
  private String jsonObjectGrammar;

  // Read by health() and tests from other threads.
  private volatile boolean loaded;
  private volatile int loads;
  private volatile String loadFailure;
  private volatile boolean closed;

  /** Validates the settings; the model itself is loaded on the first call. */
  public LlamaCppLocalProvider(ProviderConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    String path = config.setting(MODEL_PATH, "").strip();
    if (path.isEmpty()) {
      throw new IllegalArgumentException(
          "Setting '" + MODEL_PATH + "' is required: the path of a .gguf model file.");
    }
    this.modelPath = Path.of(path).toAbsolutePath().normalize();
    if (!Files.isRegularFile(modelPath) || !Files.isReadable(modelPath)) {
      throw new IllegalArgumentException(
          "Setting '" + MODEL_PATH + "': " + modelPath + " is not a readable file.");
    }
    this.contextSize = intSetting(CONTEXT_SIZE, DEFAULT_CONTEXT_SIZE, 1);
    this.threads = intSetting(THREADS, Runtime.getRuntime().availableProcessors(), 1);
    this.gpuLayers = intSetting(GPU_LAYERS, 0, 0);
    String seedText = config.setting(SEED, "").strip();
    this.seed = seedText.isEmpty() ? null : intSetting(SEED, 0, Integer.MIN_VALUE);
    String log = config.setting(NATIVE_LOG, "true").strip().toLowerCase(Locale.ROOT);
    if (!log.equals("true") && !log.equals("false")) {
      throw new IllegalArgumentException(
          "Setting '" + NATIVE_LOG + "' must be true or false; was '" + log + "'.");
    }
    this.nativeLog = log.equals("true");
    String file = modelPath.getFileName().toString();
    this.modelId =
        config.models().isEmpty() ? file.replaceFirst("(?i)\\.gguf$", "") : config.models().get(0);
    this.defaultTimeout =
        config.timeout() != null && !config.timeout().isNegative() && !config.timeout().isZero()
            ? config.timeout()
            : DEFAULT_TIMEOUT;
    this.worker =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "llamacpp-local-" + config.name());
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> models() {
    return List.of(modelId);
  }

  @Override
  public Capabilities capabilities(String model) {
    return new Capabilities(true, false, false, false, true, false, false, false, contextSize);
  }

  @Override
  public CompletableFuture<List<ModelInfo>> listModels() {
    return CompletableFuture.completedFuture(
        List.of(new ModelInfo(modelId, "GGUF model " + modelPath.getFileName(), contextSize)));
  }

  /** Up when the model is loaded, or when its file is a readable GGUF file not yet loaded. */
  @Override
  public CompletableFuture<HealthReport> health() {
    long start = System.nanoTime();
    return CompletableFuture.supplyAsync(
        () -> {
          if (closed) {
            return new HealthReport(false, System.nanoTime() - start, name() + " is closed");
          }
          if (loaded) {
            return new HealthReport(true, System.nanoTime() - start, "model loaded");
          }
          if (loadFailure != null) {
            return new HealthReport(false, System.nanoTime() - start, loadFailure);
          }
          try {
            GgufMetadata header = GgufMetadata.read(modelPath);
            return new HealthReport(
                true,
                System.nanoTime() - start,
                "model not loaded yet (GGUF v" + header.version() + ")");
          } catch (IOException e) {
            return new HealthReport(false, System.nanoTime() - start, unusable(e).getMessage());
          }
        });
  }

  @Override
  public CompletableFuture<Completion> complete(CompletionRequest request) {
    Generation generation;
    try {
      generation = prepare(request);
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Completion> result = new CompletableFuture<>();
    try {
      worker.execute(() -> run(generation, result));
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new ProviderException(Kind.BAD_REQUEST, name() + " is closed", null, 0L, e));
    }
    return result;
  }

  /** Frees the model (as far as the binding allows) and stops the worker thread. */
  @Override
  public void close() {
    closed = true;
    try {
      worker.execute(
          () -> {
            if (model != null) {
              model.close();
              model = null;
              loaded = false;
            }
          });
    } catch (RejectedExecutionException alreadyClosed) {
      return;
    }
    worker.shutdown();
  }

  /** How often the model was loaded (once, unless loading failed and was retried). */
  int loads() {
    return loads;
  }

  // ---- one generation ----

  /** A checked request: everything the worker needs, validated on the caller's thread. */
  private record Generation(
      List<ChatMessage> messages,
      Float temperature,
      int maxTokens,
      Duration timeout,
      boolean stream,
      String jsonMode,
      String schema) {}

  private Generation prepare(CompletionRequest request) {
    if (closed) {
      throw new ProviderException(Kind.BAD_REQUEST, name() + " is closed");
    }
    if (request == null || request.messages().isEmpty()) {
      throw new ProviderException(Kind.BAD_REQUEST, name() + ": the request has no messages");
    }
    if (!request.tools().isEmpty()) {
      throw new ProviderException(
          Kind.UNSUPPORTED, name() + " does not offer tool calling (in-process llama.cpp)");
    }
    if (request.messages().stream().anyMatch(message -> !message.parts().isEmpty())) {
      throw new ProviderException(
          Kind.UNSUPPORTED, name() + " takes text only: images and audio are not offered");
    }
    if (request.topLogprobs() != null) {
      // java-llama.cpp 4.2.0 reads a field llama.cpp no longer sends when n_probs > 0 and aborts
      // the whole JVM, so token probabilities are refused rather than requested.
      throw new ProviderException(
          Kind.UNSUPPORTED,
          name() + " does not offer log probabilities (the bundled java-llama.cpp cannot)");
    }
    int maxTokens = request.maxTokens() == null ? DEFAULT_MAX_TOKENS : request.maxTokens();
    if (maxTokens < 1) {
      throw new ProviderException(Kind.BAD_REQUEST, name() + ": maxTokens must be at least 1");
    }
    String jsonMode = null;
    String schema = null;
    ResponseFormat format = request.responseFormat();
    if (format != null && !ResponseFormat.TEXT.equals(format.type())) {
      if (ResponseFormat.JSON_OBJECT.equals(format.type())) {
        jsonMode = format.type();
      } else if (ResponseFormat.JSON_SCHEMA.equals(format.type())) {
        jsonMode = format.type();
        schema = canonicalSchema(format.schema());
        if (Internals.PARAMETERS == null) {
          throw new ProviderException(
              Kind.UNSUPPORTED,
              name() + " cannot pass a JSON schema to this version of java-llama.cpp");
        }
      } else {
        throw new ProviderException(
            Kind.UNSUPPORTED,
            name() + " does not offer the response format '" + format.type() + "'");
      }
    }
    Duration timeout =
        request.timeout() != null && !request.timeout().isNegative() && !request.timeout().isZero()
            ? request.timeout()
            : defaultTimeout;
    return new Generation(
        request.messages(),
        request.temperature() == null ? null : request.temperature().floatValue(),
        maxTokens,
        timeout,
        request.stream(),
        jsonMode,
        schema);
  }

  private void run(Generation generation, CompletableFuture<Completion> result) {
    if (result.isDone()) {
      return; // cancelled while queued
    }
    try {
      LlamaModel llama = ensureLoaded();
      String prompt = prompt(llama, generation.messages());
      InferenceParameters parameters = parameters(prompt, generation);
      // llama.cpp tokenizes the prompt with its special tokens (BOS/EOS) added; encode() does not.
      int promptTokens = llama.encode(prompt).length + metadata.specialTokensAdded();
      generate(llama, parameters, generation, promptTokens, result);
    } catch (ProviderException e) {
      result.completeExceptionally(e);
    } catch (LinkageError e) {
      result.completeExceptionally(nativeLibraryMissing(e));
    } catch (RuntimeException e) {
      result.completeExceptionally(llamaFailure(e, 0L));
    }
  }

  private void generate(
      LlamaModel llama,
      InferenceParameters parameters,
      Generation generation,
      int promptTokens,
      CompletableFuture<Completion> result) {
    long start = System.nanoTime();
    // The caller gets its timeout on time even while llama.cpp is busy; generation stops at the
    // next token (a llama.cpp task cannot be interrupted from another thread).
    ScheduledFuture<?> deadline =
        TIMER.schedule(
            () ->
                result.completeExceptionally(
                    new ProviderException(
                        Kind.TIMEOUT,
                        name() + " timed out after " + generation.timeout().toMillis() + " ms",
                        null,
                        System.nanoTime() - start,
                        null)),
            generation.timeout().toNanos(),
            TimeUnit.NANOSECONDS);
    result.whenComplete((completion, error) -> deadline.cancel(false));
    LlamaIterator tokens;
    try {
      tokens = llama.generate(parameters).iterator();
    } catch (RuntimeException e) {
      throw llamaFailure(e, System.nanoTime() - start);
    }
    StringBuilder text = new StringBuilder();
    int generated = 0;
    Long firstToken = null;
    boolean lastPieceEmpty = false;
    try {
      while (tokens.hasNext()) {
        LlamaOutput output = tokens.next();
        // The binding streams one output per sampled token (pieces of a UTF-8 character are
        // joined) and then a final, empty one that ends the stream.
        if (tokens.hasNext()) {
          generated++;
          lastPieceEmpty = output.text.isEmpty();
          if (firstToken == null) {
            firstToken = System.nanoTime() - start;
          }
        }
        text.append(output.text);
        if (result.isDone() && tokens.hasNext()) {
          tokens.cancel(); // timed out or cancelled by the caller
          return;
        }
      }
    } catch (RuntimeException e) {
      throw llamaFailure(e, System.nanoTime() - start);
    }
    long latency = System.nanoTime() - start;
    // An end-of-generation token renders as nothing; a full budget or context ends otherwise.
    String finishReason = generated < generation.maxTokens() && lastPieceEmpty ? "stop" : "length";
    result.complete(
        new Completion(
            text.toString(),
            finishReason,
            promptTokens,
            generated,
            promptTokens + generated,
            latency,
            metadata.name() != null ? metadata.name() : modelId,
            null,
            generation.stream() ? firstToken : null,
            List.of(),
            List.of(),
            false,
            null,
            false));
  }

  private InferenceParameters parameters(String prompt, Generation generation) {
    InferenceParameters parameters =
        new InferenceParameters(prompt).setNPredict(generation.maxTokens());
    if (generation.temperature() != null) {
      parameters.setTemperature(generation.temperature());
    }
    if (seed != null) {
      parameters.setSeed(seed);
    }
    if (ResponseFormat.JSON_OBJECT.equals(generation.jsonMode())) {
      if (jsonObjectGrammar == null) {
        // A fixed, valid schema: the converter aborts the JVM on schemas it cannot handle, so
        // callers' schemas never go through this public method (see Internals).
        jsonObjectGrammar = LlamaModel.jsonSchemaToGrammar(ANY_JSON_OBJECT);
      }
      parameters.setGrammar(jsonObjectGrammar);
    } else if (ResponseFormat.JSON_SCHEMA.equals(generation.jsonMode())) {
      Internals.put(parameters, "json_schema", generation.schema());
    }
    return parameters;
  }

  /** The model's chat template applied to the messages, else a plain "role: content" prompt. */
  private String prompt(LlamaModel llama, List<ChatMessage> messages) {
    List<String> system = new ArrayList<>();
    List<Pair<String, String>> turns = new ArrayList<>();
    boolean templatable = true;
    for (ChatMessage message : messages) {
      String role = message.role().toLowerCase(Locale.ROOT);
      switch (role) {
        case "system", "developer" -> system.add(message.content());
        case "user", "assistant" -> turns.add(new Pair<>(role, message.content()));
        default -> templatable = false;
      }
    }
    if (templatable) {
      try {
        return llama.applyTemplate(
            new InferenceParameters("")
                .setMessages(system.isEmpty() ? null : String.join("\n\n", system), turns));
      } catch (RuntimeException e) {
        LOG.fine(() -> name() + ": chat template not applied: " + e);
      }
    }
    return messages.stream()
            .map(message -> message.role() + ": " + message.content())
            .collect(Collectors.joining("\n"))
        + "\nassistant:";
  }

  // ---- loading ----

  private LlamaModel ensureLoaded() {
    if (model != null) {
      return model;
    }
    if (!Files.isRegularFile(modelPath) || !Files.isReadable(modelPath)) {
      throw remember(
          new ProviderException(
              Kind.BAD_REQUEST,
              name() + ": the model file " + modelPath + " does not exist or is not readable"));
    }
    GgufMetadata header;
    try {
      header = GgufMetadata.read(modelPath);
    } catch (IOException e) {
      throw remember(unusable(e));
    }
    ModelParameters parameters =
        new ModelParameters()
            .setModel(modelPath.toString())
            .setCtxSize(contextSize)
            .setThreads(threads)
            .setGpuLayers(gpuLayers)
            .setParallel(1);
    if (!nativeLog) {
      parameters.disableLog();
    }
    long start = System.nanoTime();
    LlamaModel loadedModel;
    try {
      loadedModel = new LlamaModel(parameters);
    } catch (LinkageError e) {
      throw nativeLibraryMissing(e);
    } catch (RuntimeException e) {
      throw remember(
          new ProviderException(
              Kind.BAD_REQUEST,
              name()
                  + ": llama.cpp could not load the model file "
                  + modelPath
                  + " ("
                  + e.getMessage()
                  + "; llama.cpp writes the reason to standard error)",
              null,
              0L,
              e));
    }
    if (!Internals.isOpen(loadedModel)) {
      // The binding returns without an exception when llama.cpp rejects its arguments.
      throw remember(
          new ProviderException(
              Kind.BAD_REQUEST, name() + ": llama.cpp rejected the model parameters"));
    }
    model = loadedModel;
    metadata = header;
    loads++;
    loaded = true;
    loadFailure = null;
    LOG.info(
        () ->
            name()
                + ": loaded "
                + modelPath
                + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                + " ms");
    return model;
  }

  private ProviderException remember(ProviderException e) {
    loadFailure = e.getMessage();
    return e;
  }

  private ProviderException unusable(IOException e) {
    return new ProviderException(
        Kind.BAD_REQUEST,
        name() + ": the model file " + modelPath + " is not usable: " + e.getMessage(),
        null,
        0L,
        e);
  }

  private ProviderException nativeLibraryMissing(LinkageError e) {
    loadFailure = name() + ": the llama.cpp native library is not available: " + e;
    return new ProviderException(Kind.UNSUPPORTED, loadFailure, null, 0L, e);
  }

  // llama.cpp reports request errors as JSON ({"code":400,"message":...}) in the exception text.
  private ProviderException llamaFailure(RuntimeException e, long latency) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Kind kind = Kind.SERVER_ERROR;
    try (JsonReader reader = Json.createReader(new StringReader(message))) {
      JsonObject error = reader.readObject();
      if (error.get("message") instanceof JsonString text) {
        message = text.getString();
      }
      if (error.get("code") instanceof JsonNumber code) {
        kind = code.intValue() >= 400 && code.intValue() < 500 ? Kind.BAD_REQUEST : kind;
      }
    } catch (RuntimeException notJson) {
      // A plain message.
    }
    return new ProviderException(
        kind, name() + ": llama.cpp failed: " + message.strip(), null, latency, e);
  }

  private String canonicalSchema(String schema) {
    // Re-serialized by JSON-P: the binding splices it into its request JSON unchecked, and a
    // syntax error there would abort the JVM.
    try (JsonReader reader = Json.createReader(new StringReader(schema))) {
      return reader.readObject().toString();
    } catch (RuntimeException e) {
      throw new ProviderException(
          Kind.BAD_REQUEST, name() + ": the response schema is not a JSON object", null, 0L, e);
    }
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "llamacpp-local-timeouts");
              thread.setDaemon(true);
              return thread;
            });
    // Deadlines of finished generations are cancelled; they should not pile up in the queue.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  private int intSetting(String key, int fallback, int min) {
    String text = config.setting(key, "").strip();
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value < min) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Setting '"
              + key
              + "' must be an integer"
              + (min == Integer.MIN_VALUE ? "" : " of at least " + min)
              + "; was '"
              + text
              + "'.");
    }
  }

  /**
   * Reaches into java-llama.cpp 4.2.0 where its public API falls short. Its only public way to use
   * a JSON schema, {@code LlamaModel.jsonSchemaToGrammar}, aborts the JVM (an uncaught C++
   * exception) on schemas llama.cpp cannot convert; passing the schema as the request's {@code
   * json_schema} field instead lets llama.cpp convert it inside its own error handling, which turns
   * a bad schema into an ordinary exception.
   */
  private static final class Internals {
    static final Field PARAMETERS = field(InferenceParameters.class.getSuperclass(), "parameters");
    private static final Field CONTEXT = field(LlamaModel.class, "ctx");

    private static Field field(Class<?> type, String name) {
      try {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    @SuppressWarnings("unchecked")
    static void put(InferenceParameters parameters, String key, String json) {
      try {
        ((Map<String, String>) PARAMETERS.get(parameters)).put(key, json);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new ProviderException(
            Kind.UNSUPPORTED, "cannot pass " + key + " to java-llama.cpp: " + e, null, 0L, e);
      }
    }

    static boolean isOpen(LlamaModel model) {
      try {
        return CONTEXT == null || CONTEXT.getLong(model) != 0L;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return true;
      }
    }
  }
}
