package dev.llmtestbench.platform.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Bounds a request body that comes without a Content-Length (chunked): reading past the limit fails
 * with {@link BodyTooLargeException}, which the REST layer answers {@code 413}.
 */
final class BodyLimit extends HttpServletRequestWrapper {

  private final long limit;
  private ServletInputStream stream;

  BodyLimit(HttpServletRequest request, long limit) {
    super(request);
    this.limit = limit;
  }

  @Override
  public BufferedReader getReader() throws IOException {
    String enc = getCharacterEncoding();
    return new BufferedReader(
        new InputStreamReader(
            getInputStream(), enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc)));
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    if (stream == null) {
      ServletInputStream in = super.getInputStream();
      stream =
          new ServletInputStream() {
            long read;

            @Override
            public int read() throws IOException {
              int b = in.read();
              if (b >= 0) {
                count(1);
              }
              return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
              int n = in.read(buf, off, len);
              if (n > 0) {
                count(n);
              }
              return n;
            }

            private void count(int n) throws BodyTooLargeException {
              read += n;
              if (read > limit) {
                throw new BodyTooLargeException(limit);
              }
            }

            @Override
            public boolean isFinished() {
              return in.isFinished();
            }

            @Override
            public boolean isReady() {
              return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
              in.setReadListener(listener);
            }
          };
    }
    return stream;
  }
}
