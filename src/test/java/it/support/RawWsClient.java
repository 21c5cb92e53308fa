package it.support;

import jakarta.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * A WebSocket client on a plain socket whose reading the test controls: with a small receive buffer
 * and nobody reading, it is the slow client of the back-pressure tests (the JDK's client would keep
 * reading into its own buffers).
 */
public final class RawWsClient implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private volatile int closeCode = -1;

  private RawWsClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to /ws of the server at {@code httpBase} with a query string (may be empty) and a
   * socket receive buffer of {@code receiveBuffer} bytes.
   */
  public static RawWsClient connect(String httpBase, String query, int receiveBuffer) {
    try {
      URI uri = URI.create(httpBase);
      Socket s = new Socket();
      s.setReceiveBufferSize(receiveBuffer);
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
      RawWsClient c = new RawWsClient(s);
      byte[] key = new byte[16];
      RANDOM.nextBytes(key);
      String request =
          "GET /ws"
              + query
              + " HTTP/1.1\r\nHost: "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
              + Base64.getEncoder().encodeToString(key)
              + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: "
              + Api.authorization()
              + "\r\n\r\n";
      c.out.write(request.getBytes(StandardCharsets.US_ASCII));
      c.out.flush();
      String status = c.readHeaders();
      if (!status.startsWith("HTTP/1.1 101")) {
        throw new AssertionError("WebSocket handshake refused: " + status);
      }
      return c;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private String readHeaders() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("Connection closed during the handshake");
      }
      buf.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : (b == '\r' ? 1 : 0);
    }
    String all = buf.toString(StandardCharsets.US_ASCII);
    return all.substring(0, all.indexOf("\r\n"));
  }

  /** Sends a text message (masked, as clients must); writing works while nothing is read. */
  public synchronized void send(String text) {
    try {
      writeFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private synchronized void writeFrame(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x80 | opcode);
    int n = payload.length;
    if (n < 126) {
      f.write(0x80 | n);
    } else if (n < 65536) {
      f.write(0x80 | 126);
      f.write(n >>> 8);
      f.write(n);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) n >>> (8 * i)));
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    f.write(mask);
    for (int i = 0; i < n; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /**
   * The next text message, or null when the server closed the connection or nothing came within the
   * timeout.
   */
  public JsonObject next(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          return null;
        }
        int b1 = readByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = (readByte() << 8) | readByte();
        } else if (len == 127) {
          len = 0;
          for (int i = 0; i < 8; i++) {
            len = (len << 8) | readByte();
          }
        }
        byte[] payload = in.readNBytes((int) len);
        int opcode = b0 & 0x0f;
        if (opcode == 0x8) {
          closeCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
          return null;
        }
        if (opcode == 0x9) {
          writeFrame(0xA, payload);
          continue;
        }
        if (opcode == 0xA) {
          continue;
        }
        message.write(payload);
        if ((b0 & 0x80) != 0) {
          return (JsonObject) Api.parse(message.toString(StandardCharsets.UTF_8));
        }
      }
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  /** The close code the server sent, once {@link #next} has read it; -1 before. */
  public int closeCode() {
    return closeCode;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closed
    }
  }
}
