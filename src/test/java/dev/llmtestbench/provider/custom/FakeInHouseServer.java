package dev.llmtestbench.provider.custom;

import dev.llmtestbench.provider.testing.FakeProviderServer;
import java.io.IOException;
import java.net.URI;

/**
 * A loopback stand-in for an in-house endpoint, answering as the test scripts it and recording
 * requests.
 */
final class FakeInHouseServer extends FakeProviderServer {

  FakeInHouseServer(Handler handler) throws IOException {
    super(handler, true, false);
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }
}
