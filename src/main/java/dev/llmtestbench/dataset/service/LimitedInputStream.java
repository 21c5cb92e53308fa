package dev.llmtestbench.dataset.service;

import dev.llmtestbench.platform.rest.ApiException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads at most a limit of bytes, then answers 413 naming the limit and its config key. */
final class LimitedInputStream extends FilterInputStream {

  private final long limit;
  private long read;

  LimitedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(long n) {
    read += n;
    if (read > limit) {
      throw new ApiException(
          413,
          "payload-too-large",
          "Import too large",
          "The file is larger than "
              + limit
              + " bytes (ltb.dataset.max-import-bytes); split it into several datasets.");
    }
  }
}
