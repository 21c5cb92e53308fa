package dev.llmtestbench.monitoring.ws;

import jakarta.servlet.http.HttpSession;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The handshake of the WebSocket endpoints ({@code /ws}, {@code /graphql/ws}) without an HTTP
 * session: Liberty creates one for every upgrade and keeps it for the session timeout (30 minutes),
 * although nothing here uses it (the caller comes from the handshake's credential, every API call
 * is stateless). A dashboard that reconnects often, or 1,000 clients of one run, left thousands of
 * sessions in the old generation. The session is invalidated as soon as the handshake is accepted;
 * Liberty ties a WebSocket to its HTTP session only for BASIC authentication on plain HTTP, which
 * this application does not use, so the connection stays open (WebSocketProtocolIT checks both).
 */
public class StatelessHandshake extends ServerEndpointConfig.Configurator {

  @Override
  public void modifyHandshake(
      ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
    super.modifyHandshake(config, request, response);
    if (request.getHttpSession() instanceof HttpSession session) {
      try {
        session.invalidate();
      } catch (IllegalStateException alreadyInvalid) {
        // Nothing to drop.
      }
    }
  }
}
