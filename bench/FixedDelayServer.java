import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A loopback server speaking the OpenAI chat-completions protocol that answers every request after
 * a fixed delay, scheduled rather than slept so the delay is exact whatever the load. For
 * bench/latency.py only. Run: java -Dsun.net.httpserver.nodelay=true bench/FixedDelayServer.java
 * DELAY_MS; prints the port it listens on.
 */
public class FixedDelayServer {

  public static void main(String[] args) throws IOException {
    long delayMicros = (long) (Double.parseDouble(args[0]) * 1000);
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.setExecutor(Executors.newFixedThreadPool(4));
    // Requests received and not yet answered, sampled every 5 ms while any is open; printed to
    // stderr at exit, to show how steadily the client keeps its concurrency.
    java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    long[] histogram = new long[1025];
    timer.scheduleAtFixedRate(() -> {
      int n = open.get();
      if (n > 0) histogram[Math.min(n, 1024)]++;
    }, 5, 5, TimeUnit.MILLISECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> printHistogram(histogram)));
    server.createContext("/v1/chat/completions", ex -> {
      open.incrementAndGet();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int m = body.indexOf("\"model\":\"");
      String model = m < 0 ? "fixed" : body.substring(m + 9, body.indexOf('"', m + 9));
      timer.schedule(() -> { open.decrementAndGet(); answer(ex, model); }, delayMicros, TimeUnit.MICROSECONDS);
    });
    server.start();
    System.out.println(server.getAddress().getPort());
    System.out.flush();
  }

  private static void printHistogram(long[] histogram) {
    long total = 0, weighted = 0;
    for (int i = 0; i < histogram.length; i++) {
      total += histogram[i];
      weighted += i * histogram[i];
    }
    if (total == 0) return;
    StringBuilder out = new StringBuilder("open requests (5 ms samples while any was open): mean ");
    out.append(String.format("%.1f", (double) weighted / total)).append(";");
    for (int i = 0; i < histogram.length; i++) {
      if (histogram[i] * 100 >= total) out.append(String.format(" %d:%.0f%%", i, 100.0 * histogram[i] / total));
    }
    System.err.println(out);
  }

  private static void answer(HttpExchange ex, String model) {
    String json =
        "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":0,\"model\":\""
            + model
            + "\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":"
            + "\"assistant\",\"content\":\"#### 42\"}}],\"usage\":{\"prompt_tokens\":12,"
            + "\"completion_tokens\":3,\"total_tokens\":15}}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // The client went away; nothing to answer.
    }
  }
}
