package dev.llmtestbench.platform.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client's IP address. {@code X-Forwarded-For} is honoured only when the direct peer is one of
 * the trusted proxies ({@code ltb.http.trusted-proxies}: addresses or CIDR blocks); then the client
 * is the right-most address in the header that is not itself a trusted proxy. Without that setting
 * the header is ignored, so a client cannot choose the address it is audited and rate limited
 * under.
 */
@ApplicationScoped
public class ClientAddress {

  private final List<Cidr> trusted;

  ClientAddress() {
    this.trusted = List.of();
  }

  @Inject
  public ClientAddress(
      @ConfigProperty(name = "ltb.http.trusted-proxies") Optional<List<String>> trustedProxies) {
    this.trusted = parse(trustedProxies.orElse(List.of()));
  }

  /** For tests and callers without CDI. */
  public static ClientAddress of(List<String> trustedProxies) {
    return new ClientAddress(Optional.of(trustedProxies));
  }

  public String of(HttpServletRequest request) {
    return resolve(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
  }

  /** The client for a direct peer and its X-Forwarded-For header (may be null). */
  public String resolve(String peer, String forwardedFor) {
    if (trusted.isEmpty() || forwardedFor == null || !isTrusted(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String client = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (literal(hop) == null) {
        // Not an address: stop at the last good hop rather than trust garbage.
        return client;
      }
      client = hop;
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return client;
  }

  /** Whether the request arrived over HTTPS, directly or (from a trusted proxy) as forwarded. */
  public boolean secure(HttpServletRequest request) {
    if (request.isSecure()) {
      return true;
    }
    return isTrusted(request.getRemoteAddr())
        && "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
  }

  boolean isTrusted(String address) {
    byte[] a = literal(address);
    if (a == null) {
      return false;
    }
    for (Cidr c : trusted) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  private static List<Cidr> parse(List<String> specs) {
    List<Cidr> out = new ArrayList<>();
    for (String spec : specs) {
      String s = spec.strip();
      if (s.isEmpty()) {
        continue;
      }
      int slash = s.indexOf('/');
      byte[] address = literal(slash < 0 ? s : s.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException(
            "ltb.http.trusted-proxies: '" + s + "' is not an IP address or CIDR block");
      }
      int bits = slash < 0 ? address.length * 8 : Integer.parseInt(s.substring(slash + 1));
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("ltb.http.trusted-proxies: bad prefix in '" + s + "'");
      }
      out.add(new Cidr(address, bits));
    }
    return List.copyOf(out);
  }

  /** The bytes of an IP literal, or null for anything else (never a DNS lookup). */
  static byte[] literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 45 || !s.matches("[0-9A-Fa-f:.]+")) {
      return null;
    }
    if (s.indexOf(':') < 0 && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private record Cidr(byte[] network, int bits) {
    boolean contains(byte[] a) {
      if (a.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (a[full] & mask) == (network[full] & mask);
    }
  }
}
