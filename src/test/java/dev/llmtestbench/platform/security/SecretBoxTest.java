package dev.llmtestbench.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private static SecretBox box(byte fill) {
    SecretBox b = new SecretBox();
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, fill);
    b.key = Optional.of(SecretBox.parse(Base64.getEncoder().encodeToString(k)));
    return b;
  }

  @Test
  void shouldRoundTripWithAFreshIvEachTime() {
    SecretBox b = box((byte) 7);
    String a = b.encrypt("sk-secret");
    String c = b.encrypt("sk-secret");
    assertNotEquals(a, c);
    assertTrue(a.startsWith("v1:") && !a.contains("sk-secret"));
    assertEquals("sk-secret", b.decrypt(a));
    assertEquals("sk-secret", b.decrypt(c));
  }

  @Test
  void shouldRefuseToDecryptUnderAnotherKeyOrTamperedText() {
    String sealed = box((byte) 1).encrypt("sk-secret");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> box((byte) 2).decrypt(sealed));
    assertTrue(e.getMessage().contains("ltb.secrets.key"));
    String tampered = sealed.substring(0, sealed.length() - 4) + "AAAA";
    assertThrows(IllegalStateException.class, () -> box((byte) 1).decrypt(tampered));
  }

  @Test
  void shouldRejectKeysOfTheWrongSize() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> SecretBox.parse(Base64.getEncoder().encodeToString(new byte[16])));
    assertTrue(e.getMessage().contains("32 bytes"));
  }

  @Test
  void shouldSayHowToConfigureAMissingKey() {
    SecretBox b = new SecretBox();
    b.key = Optional.empty();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.encrypt("x"));
    assertTrue(e.getMessage().contains("ltb.secrets.key"));
  }
}
