package it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback server speaking the OpenAI chat-completions protocol, for tests only. It answers "What
 * is A + B?" prompts: model {@code good} answers right ("#### A+B"), {@code bad} answers wrong,
 * {@code slow} answers right after {@code slowMillis}, {@code broken} fails with HTTP 500, {@code
 * wavering} answers even sums right every time and odd sums right on every other call of the same
 * prompt (for repeat consistency). Model {@code judge} grades llm-rubric prompts with a JSON
 * verdict: the output passes when it contains "#### N" for the last number N in the rubric; {@code
 * judge-flaky} first answers a judge prompt with prose (malformed), then like {@code judge}.
 */
public final class OpenAiStub implements AutoCloseable {

  private static final Pattern SUM = Pattern.compile("(\\d+) \\+ (\\d+)");

  /** A request as received: its Authorization header and JSON body. */
  public record Request(String path, String authorization, JsonObject body) {}

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final java.util.Map<String, Integer> attempts =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final long slowMillis;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  public OpenAiStub(long slowMillis) throws IOException {
    this.slowMillis = slowMillis;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 256);
    server.setExecutor(pool);
    server.createContext("/v1/chat/completions", this::handle);
    server.createContext("/v1/models", this::models);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The most chat-completion requests this stub has been answering at the same time. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      answer(ex);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void answer(HttpExchange ex) throws IOException {
    try (ex) {
      JsonObject body =
          (JsonObject)
              Api.parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      requests.add(
          new Request(
              ex.getRequestURI().getPath(),
              ex.getRequestHeaders().getFirst("Authorization"),
              body));
      if (!"POST".equals(ex.getRequestMethod())) {
        respond(ex, 405, error("Only POST is supported"));
        return;
      }
      String model = body.getString("model");
      if (model.equals("tooly") && body.containsKey("tools")) {
        respond(ex, 200, toolCall(body));
        return;
      }
      JsonArray messages = body.getJsonArray("messages");
      String prompt = messages.getJsonObject(messages.size() - 1).getString("content");
      Matcher m = SUM.matcher(prompt);
      long sum = m.find() ? Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) : -1;
      String answer;
      switch (model) {
        case "good", "gpt-6.1-terra" ->
            answer = "Adding the numbers gives " + sum + ".\n#### " + sum;
        case "throttled" -> {
          if (attempts.merge("429:" + prompt, 1, Integer::sum) == 1) {
            ex.getResponseHeaders().set("Retry-After", "0");
            respond(ex, 429, error("Rate limit reached for requests"));
            return;
          }
          answer = "#### " + sum;
        }
        case "flaky" -> {
          if (attempts.merge(prompt, 1, Integer::sum) == 1) {
            ex.getResponseHeaders().set("Retry-After", "0");
            respond(ex, 503, error("The server is busy, try again"));
            return;
          }
          answer = "#### " + sum;
        }
        case "wavering" -> {
          boolean right = sum % 2 == 0 || attempts.merge("w:" + prompt, 1, Integer::sum) % 2 == 1;
          answer = "#### " + (right ? sum : sum + 1);
        }
        case "judge" -> answer = verdict(messages);
        case "judge-flaky" -> {
          String first = messages.getJsonObject(1).getString("content");
          answer =
              attempts.merge("judge:" + first, 1, Integer::sum) == 1
                  ? "I think the output passes."
                  : verdict(messages);
        }
        case "bad" -> answer = "I think it is " + (sum + 1) + ".\n#### " + (sum + 1);
        case "slow" -> {
          Thread.sleep(slowMillis);
          answer = "#### " + sum;
        }
        case "broken" -> {
          respond(ex, 500, error("The model is overloaded"));
          return;
        }
        case "echo-key" -> {
          // A provider that quotes the credential it got back in its error, as some do.
          respond(
              ex,
              401,
              error(
                  "Incorrect API key provided: "
                      + ex.getRequestHeaders().getFirst("Authorization")));
          return;
        }
        default -> {
          respond(ex, 404, error("The model `" + model + "` does not exist"));
          return;
        }
      }
      int promptTokens = prompt.split("\\s+").length;
      int completionTokens = answer.split("\\s+").length;
      if (body.getBoolean("stream", false)) {
        stream(ex, model, answer, promptTokens, completionTokens);
        return;
      }
      JsonObject response =
          Json.createObjectBuilder()
              .add("id", "chatcmpl-" + ids.incrementAndGet())
              .add("object", "chat.completion")
              .add("created", System.currentTimeMillis() / 1000)
              .add("model", model + "-2026-01-01")
              .add(
                  "choices",
                  Json.createArrayBuilder()
                      .add(
                          Json.createObjectBuilder()
                              .add("index", 0)
                              .add(
                                  "message",
                                  Json.createObjectBuilder()
                                      .add("role", "assistant")
                                      .add("content", answer))
                              .add("finish_reason", "stop")))
              .add(
                  "usage",
                  Json.createObjectBuilder()
                      .add("prompt_tokens", promptTokens)
                      .add("completion_tokens", completionTokens)
                      .add("total_tokens", promptTokens + completionTokens))
              .build();
      respond(ex, 200, response.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final Pattern NUMBER = Pattern.compile("\\d+");

  /** A scripted llm-rubric verdict on the first user message of a judge conversation. */
  private static String verdict(JsonArray messages) {
    String content = messages.getJsonObject(1).getString("content");
    String output = between(content, "<output>\n", "\n</output>");
    String rubric = between(content, "<rubric>\n", "\n</rubric>");
    Matcher n = NUMBER.matcher(rubric);
    String last = null;
    while (n.find()) {
      last = n.group();
    }
    boolean pass = last != null && output.contains("#### " + last);
    return Json.createObjectBuilder()
        .add("reason", pass ? "the output ends with #### " + last : "the final answer is wrong")
        .add("pass", pass)
        .add("score", pass ? 1.0 : 0.0)
        .build()
        .toString();
  }

  private static String between(String text, String start, String end) {
    int s = text.indexOf(start);
    int e = s < 0 ? -1 : text.indexOf(end, s + start.length());
    return s < 0 || e < 0 ? "" : text.substring(s + start.length(), e);
  }

  private void models(HttpExchange ex) throws IOException {
    try (ex) {
      requests.add(
          new Request(
              ex.getRequestURI().getPath(),
              ex.getRequestHeaders().getFirst("Authorization"),
              null));
      var data = Json.createArrayBuilder();
      for (String id : List.of("good", "bad", "slow", "broken")) {
        data.add(
            Json.createObjectBuilder()
                .add("id", id)
                .add("object", "model")
                .add("owned_by", "stub"));
      }
      respond(
          ex,
          200,
          Json.createObjectBuilder().add("object", "list").add("data", data).build().toString());
    }
  }

  /**
   * Answers as OpenAI's streaming API does: server-sent events with a role chunk, content chunks
   * (the first at once, the rest after {@code STREAM_PAUSE_MS}), a usage chunk and [DONE].
   */
  private void stream(HttpExchange ex, String model, String answer, int pt, int ct)
      throws IOException, InterruptedException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    String id = "chatcmpl-" + ids.incrementAndGet();
    try (OutputStream out = ex.getResponseBody()) {
      event(out, chunk(id, model, Json.createObjectBuilder().add("role", "assistant"), null));
      int half = answer.length() / 2;
      event(
          out,
          chunk(
              id,
              model,
              Json.createObjectBuilder().add("content", answer.substring(0, half)),
              null));
      Thread.sleep(STREAM_PAUSE_MS);
      event(
          out,
          chunk(
              id,
              model,
              Json.createObjectBuilder().add("content", answer.substring(half)),
              "stop"));
      JsonObject usage =
          Json.createObjectBuilder()
              .add("id", id)
              .add("object", "chat.completion.chunk")
              .add("model", model + "-2026-01-01")
              .add("choices", Json.createArrayBuilder())
              .add(
                  "usage",
                  Json.createObjectBuilder()
                      .add("prompt_tokens", pt)
                      .add("completion_tokens", ct)
                      .add("total_tokens", pt + ct))
              .build();
      event(out, usage.toString());
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  public static final long STREAM_PAUSE_MS = 200;

  private static String chunk(
      String id, String model, jakarta.json.JsonObjectBuilder delta, String finish) {
    var choice = Json.createObjectBuilder().add("index", 0).add("delta", delta);
    if (finish == null) {
      choice.addNull("finish_reason");
    } else {
      choice.add("finish_reason", finish);
    }
    return Json.createObjectBuilder()
        .add("id", id)
        .add("object", "chat.completion.chunk")
        .add("model", model + "-2026-01-01")
        .add("choices", Json.createArrayBuilder().add(choice))
        .build()
        .toString();
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Answers by calling the first offered tool, as a model that uses functions does. */
  private String toolCall(JsonObject body) {
    String fn =
        body.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name");
    return Json.createObjectBuilder()
        .add("id", "chatcmpl-" + ids.incrementAndGet())
        .add("object", "chat.completion")
        .add("model", "tooly")
        .add(
            "choices",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("index", 0)
                        .add("finish_reason", "tool_calls")
                        .add(
                            "message",
                            Json.createObjectBuilder()
                                .add("role", "assistant")
                                .addNull("content")
                                .add(
                                    "tool_calls",
                                    Json.createArrayBuilder()
                                        .add(
                                            Json.createObjectBuilder()
                                                .add("id", "call_1")
                                                .add("type", "function")
                                                .add(
                                                    "function",
                                                    Json.createObjectBuilder()
                                                        .add("name", fn)
                                                        .add("arguments", "{\"a\":1,\"b\":2}")))))))
        .add(
            "usage",
            Json.createObjectBuilder()
                .add("prompt_tokens", 20)
                .add("completion_tokens", 9)
                .add("total_tokens", 29))
        .build()
        .toString();
  }

  private static String error(String message) {
    return Json.createObjectBuilder()
        .add(
            "error",
            Json.createObjectBuilder()
                .add("message", message)
                .add("type", "server_error")
                .addNull("param")
                .addNull("code"))
        .build()
        .toString();
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
