package it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Another Liberty server from the runtime the build installed (target/liberty/wlp), with the
 * configuration and the (loose) application of the server the build started, its own free ports and
 * the variables given, set in its server.env as Liberty reads them at start.
 */
public final class ExtraServer implements AutoCloseable {

  private static final Path WLP = Path.of(System.getProperty("it.wlp.dir", "target/liberty/wlp"));
  private static final String TEMPLATE = System.getProperty("it.server.name", "itServer");

  public final String name;
  public final int httpPort;
  public final String base;
  private final Path dir;

  private ExtraServer(String name, int httpPort) {
    this.name = name;
    this.httpPort = httpPort;
    this.base = "http://localhost:" + httpPort;
    this.dir = WLP.resolve("usr/servers").resolve(name);
  }

  /** A free TCP port on this machine (free when asked; the server binds it soon after). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates (afresh) and starts the server; {@link #awaitReady} waits for the application. */
  public static ExtraServer start(String name, Map<String, String> env) {
    int http = freePort();
    ExtraServer s = new ExtraServer(name, http);
    try {
      s.create(env);
      s.run("start");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s;
  }

  private void create(Map<String, String> env) throws IOException {
    deleteTree(dir);
    Path template = WLP.resolve("usr/servers").resolve(TEMPLATE);
    Files.createDirectories(dir.resolve("apps"));
    for (String f : List.of("server.xml", "bootstrap.properties", "jvm.options")) {
      Files.copy(template.resolve(f), dir.resolve(f));
    }
    copyTree(template.resolve("roles"), dir.resolve("roles"));
    copyTree(template.resolve("console-login"), dir.resolve("console-login"));
    try (Stream<Path> apps = Files.list(template.resolve("apps"))) {
      for (Path app : apps.filter(Files::isRegularFile).toList()) {
        Files.copy(app, dir.resolve("apps").resolve(app.getFileName()));
      }
    }
    StringBuilder vars = new StringBuilder();
    vars.append("HTTP_PORT=").append(httpPort).append('\n');
    vars.append("HTTPS_PORT=").append(freePort()).append('\n');
    // As on the itServer (pom.xml): no rate limit the tests could reach.
    vars.append("LTB_RATELIMIT_DEFAULT=1000000/1m\n");
    vars.append("LTB_RATELIMIT_ROUTES=none\n");
    // As every server the build creates (pom.xml, liberty.env.MALLOC_ARENA_MAX).
    vars.append("MALLOC_ARENA_MAX=2\n");
    env.forEach((k, v) -> vars.append(k).append('=').append(v).append('\n'));
    Files.writeString(dir.resolve("server.env"), vars);
  }

  /** Waits until /health/ready answers 200 (the first start on a busy machine can take minutes). */
  public void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      sleep(1000);
    }
    throw new AssertionError(
        "Server " + name + " not ready within " + timeout + "; its log ends:\n" + logTail(60));
  }

  /** Waits until the server's log has a line containing {@code text}. */
  public void awaitLog(String text, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (log().contains(text)) {
        return;
      }
      sleep(1000);
    }
    throw new AssertionError(
        "Server " + name + " never logged '" + text + "'; its log ends:\n" + logTail(60));
  }

  public String log() {
    try {
      Path log = dir.resolve("logs/messages.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  public String logTail(int lines) {
    List<String> all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  @Override
  public void close() {
    try {
      run("stop");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL of the server's JVM (its pid from the server script's pid file), as a lost pod. */
  public void kill() {
    try {
      Path pidFile = WLP.resolve("usr/servers/.pid/" + name + ".pid");
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      ProcessHandle server =
          ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("No server process " + pid));
      server.destroyForcibly();
      server.onExit().get(60, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new AssertionError("Could not kill server " + name, e);
    }
  }

  private void run(String action) throws IOException {
    Path out = Files.createTempFile("ltb-" + name + "-" + action, ".log");
    List<String> cmd = new ArrayList<>(List.of(WLP.resolve("bin/server").toString(), action, name));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("server " + action + " " + name + " did not return");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (p.exitValue() != 0 && action.equals("start")) {
      throw new AssertionError(
          "server start " + name + " exited with " + p.exitValue() + ": " + Files.readString(out));
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
