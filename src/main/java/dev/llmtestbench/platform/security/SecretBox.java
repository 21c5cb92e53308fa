package dev.llmtestbench.platform.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Encrypts secrets at rest (AES-256-GCM, a fresh 96-bit IV per value) under the key in {@code
 * ltb.secrets.key} (32 bytes, base64). Without that key no secret can be stored.
 */
@ApplicationScoped
public class SecretBox {

  private static final String PREFIX = "v1:";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private final SecureRandom random = new SecureRandom();

  // Package-private so tests can set a key without configuration.
  volatile Optional<SecretKey> key;

  /** Whether a key is configured, so secrets can be stored. */
  public boolean available() {
    return key().isPresent();
  }

  public String encrypt(String plain) {
    SecretKey k = key().orElseThrow(() -> new IllegalStateException(missingKey()));
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, iv));
      byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + sealed.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(sealed, 0, out, iv.length, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Encryption failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The plain text, or an IllegalStateException when the key is missing or was changed. */
  public String decrypt(String sealed) {
    SecretKey k = key().orElseThrow(() -> new IllegalStateException(missingKey()));
    if (!sealed.startsWith(PREFIX)) {
      throw new IllegalStateException("Unknown secret format.");
    }
    byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
      return new String(c.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "A stored secret cannot be decrypted: ltb.secrets.key differs from the key it was"
              + " stored with.");
    }
  }

  static String missingKey() {
    return "No secrets key is configured: set ltb.secrets.key (32 random bytes, base64, e.g."
        + " `openssl rand -base64 32`) to store API keys, or name an environment variable with"
        + " apiKeyEnv instead.";
  }

  private Optional<SecretKey> key() {
    Optional<SecretKey> k = key;
    if (k == null) {
      k =
          ConfigProvider.getConfig()
              .getOptionalValue("ltb.secrets.key", String.class)
              .filter(s -> !s.isBlank())
              .map(SecretBox::parse);
      key = k;
    }
    return k;
  }

  static SecretKey parse(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("ltb.secrets.key is not valid base64.");
    }
    if (bytes.length != 32) {
      throw new IllegalStateException(
          "ltb.secrets.key must be 32 bytes (base64 of 32 random bytes); it has "
              + bytes.length
              + ".");
    }
    return new SecretKeySpec(bytes, "AES");
  }
}
