package dev.llmtestbench.provider.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A loopback TCP server for the faults {@link FakeOpenAiServer} cannot produce: answers cut off
 * mid-body and connections reset. Each connection's request is read whole before the script runs.
 */
public final class RawHttpServer implements AutoCloseable {

  /** What the server does with one connection after reading its request. */
  public interface Script {
    void run(Socket socket) throws Exception;
  }

  /** The request texts received, head and body. */
  public final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  private final ServerSocket server;
  private final Thread acceptor;

  public RawHttpServer(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket socket = server.accept();
                  received.add(readRequest(socket.getInputStream()));
                  script.run(socket);
                } catch (Exception closedOrDone) {
                  // The server closed, or the script ended its connection: accept the next one.
                }
              }
            },
            "raw-http-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
  }

  /** Writes {@code text} as is and flushes it. */
  public static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /** One chunk of a chunked body. */
  public static String chunk(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Integer.toHexString(bytes.length) + "\r\n" + text + "\r\n";
  }

  /** Closes with a TCP reset (RST) rather than an orderly FIN. */
  public static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
