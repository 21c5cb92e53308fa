package dev.llmtestbench.platform.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  @Test
  void shouldVerifyTheRightPasswordOnlyWithASaltPerHash() {
    String a = PasswordHasher.hash("correct horse battery");
    String b = PasswordHasher.hash("correct horse battery");
    assertTrue(a.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), a);
    assertNotEquals(a, b);
    assertTrue(PasswordHasher.verify("correct horse battery", a));
    assertTrue(PasswordHasher.verify("correct horse battery", b));
    assertFalse(PasswordHasher.verify("correct horse batterY", a));
    assertFalse(PasswordHasher.verify("", a));
  }

  @Test
  void shouldRefuseMalformedOrMissingHashes() {
    assertFalse(PasswordHasher.verify("x", null));
    assertFalse(PasswordHasher.verify("x", "plain"));
    assertFalse(PasswordHasher.verify("x", "$argon2i$v=19$m=8,t=1,p=1$AAAA$AAAA"));
    assertFalse(PasswordHasher.verify("x", "$argon2id$v=19$m=x,t=1,p=1$AAAA$AAAA"));
  }
}
