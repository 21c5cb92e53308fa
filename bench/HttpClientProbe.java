/**
 * Measures the JDK HttpClient alone against bench/FixedDelayServer.java, outside Liberty, to
 * separate transport overhead from the pipeline. Run: java bench/HttpClientProbe.java PORT
 * CONCURRENCY REQUESTS (see docs/benchmarks.md).
 */
import java.net.URI;
import java.net.http.*;
import java.util.*;
import java.util.concurrent.*;
public class HttpClientProbe {
  public static void main(String[] a) throws Exception {
    int port = Integer.parseInt(a[0]); int conc = Integer.parseInt(a[1]); int n = Integer.parseInt(a[2]);
    HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = "{\"model\":\"fixed\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    List<Double> lat = Collections.synchronizedList(new ArrayList<>());
    Semaphore s = new Semaphore(conc); CountDownLatch done = new CountDownLatch(n);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      s.acquire();
      HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type","application/json").build();
      long t0 = System.nanoTime();
      c.sendAsync(r, HttpResponse.BodyHandlers.ofString()).whenComplete((x, e) -> { lat.add((System.nanoTime()-t0)/1e6); s.release(); done.countDown(); });
    }
    done.await(); Collections.sort(lat);
    double perSecond = n / ((System.nanoTime() - start) / 1e9);
    System.out.printf("standalone JDK HttpClient, concurrency %d: median %.1f ms, p95 %.1f ms, %.0f requests/s%n", conc, lat.get(lat.size()/2), lat.get((int)(lat.size()*0.95)), perSecond);
  }
}
