package it.support;

import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real graphql-ws client from npm (src/test/js/subscribe.mjs) against the server's
 * /graphql/ws: the URL and the connection params (where credentials go) are passed from here.
 */
public final class GraphQLWsNode {

  private static final File DIR = new File("src/test/js");

  /**
   * npm's and node's own output. Not the test JVM's: a child writing to the forked JVM's stdout or
   * stderr corrupts failsafe's channel to it ("std/in stream corrupted"), which fails the build.
   */
  private static final File LOG = new File("target/graphql-ws-client.log");

  /** The connection_init payload every test client sends. */
  public static String connectionParams() {
    return "{}";
  }

  /** The endpoint, with the bootstrap admin's token as a browser would send it (no headers). */
  public static String url() {
    return url(Api.authorization());
  }

  /** The endpoint with another caller's credential ({@code Bearer ...}) as access_token. */
  public static String url(String authorization) {
    String token = authorization.substring("Bearer ".length());
    return Api.BASE.replace("http://", "ws://")
        + "/graphql/ws?access_token="
        + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
  }

  private GraphQLWsNode() {}

  /**
   * Installs the client's packages from the lockfile once (npm's cache makes later runs offline).
   */
  private static synchronized void install() throws IOException, InterruptedException {
    if (new File(DIR, "node_modules/graphql-ws").isDirectory()) {
      return;
    }
    Process p =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
            .directory(DIR)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG))
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(
          "npm ci failed in " + DIR.getAbsolutePath() + "; its output is in " + LOG);
    }
  }

  /** A running subscription; {@link #lines} waits for the client to end. */
  public static final class Run {
    private final Process process;
    private final List<JsonObject> lines = new ArrayList<>();
    private final Thread reader;

    Run(Process process) {
      this.process = process;
      this.reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    if (line.startsWith("{")) {
                      synchronized (lines) {
                        lines.add((JsonObject) Api.parse(line));
                      }
                    }
                  }
                } catch (IOException e) {
                  // process ended
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    /** What the client printed so far. */
    public List<JsonObject> soFar() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    /** Ends the client (e.g. one that is expected to receive nothing). */
    public void stop() throws InterruptedException {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
      reader.join(5000);
    }

    /** Every line the client printed, once it has exited (at most {@code seconds}). */
    public List<JsonObject> lines(int seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "graphql-ws client still running after " + seconds + " s: " + soFar());
      }
      reader.join(5000);
      return soFar();
    }
  }

  /**
   * Starts the client: subscribes with the query and variables, stops after maxEvents (0: none).
   */
  public static Run subscribe(String query, String variables, int maxEvents) {
    return subscribe(Api.authorization(), query, variables, maxEvents);
  }

  /** {@link #subscribe(String, String, int)} as the caller with {@code authorization}. */
  public static Run subscribe(String authorization, String query, String variables, int maxEvents) {
    try {
      install();
      Process p =
          new ProcessBuilder(
                  "node",
                  "subscribe.mjs",
                  url(authorization),
                  connectionParams(),
                  query,
                  variables == null ? "{}" : variables,
                  maxEvents > 0 ? String.valueOf(maxEvents) : "")
              .directory(DIR)
              .redirectError(ProcessBuilder.Redirect.appendTo(LOG))
              .start();
      return new Run(p);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
