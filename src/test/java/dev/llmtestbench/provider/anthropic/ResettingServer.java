package dev.llmtestbench.provider.anthropic;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A one-shot raw TCP server that reads a request, writes the start of an answer and then resets the
 * connection (RST), as a dropped connection looks to the client. The JDK's HttpServer cannot do
 * this, since it always ends responses cleanly.
 */
final class ResettingServer implements AutoCloseable {

  private final ServerSocket socket;
  private final Thread thread;

  /** {@code partialResponse} is sent verbatim (status line, headers, part of the body). */
  ResettingServer(String partialResponse) throws IOException {
    socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    thread =
        new Thread(
            () -> {
              try (Socket client = socket.accept()) {
                readRequest(client.getInputStream());
                OutputStream out = client.getOutputStream();
                out.write(partialResponse.getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(100);
                // Linger 0 turns close() into a reset instead of an orderly end of stream.
                client.setSoLinger(true, 0);
              } catch (IOException | InterruptedException e) {
                // The test asserts what the client saw.
              }
            },
            "resetting-server");
    thread.setDaemon(true);
    thread.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      head.write(b);
    }
    int length = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    in.readNBytes(length);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
