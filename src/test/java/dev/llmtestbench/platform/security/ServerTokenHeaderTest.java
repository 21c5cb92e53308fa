package dev.llmtestbench.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The server's tokens start with a fixed header encoding, which Liberty's authFilter routes on
 * (server.xml batchServerTokenFilter), whatever the algorithm and key id.
 */
class ServerTokenHeaderTest {

  @Test
  void everyHeaderShouldStartWithThePrefixTheAuthFilterMatches() throws Exception {
    for (JWSAlgorithm alg :
        new JWSAlgorithm[] {
          JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.RS256
        }) {
      for (String kid : new String[] {"ltb-1a2b3c4d", "x", "a\"quoted\\kid", "é"}) {
        JWSHeader h = ServerTokens.header(alg, kid);
        assertTrue(h.toBase64URL().toString().startsWith(ServerTokens.HEADER_PREFIX), h.toString());
        assertEquals(alg, h.getAlgorithm());
        assertEquals(kid, h.getKeyID());
        assertEquals(ServerTokens.TOKEN_TYPE, h.getType());
      }
    }
    assertEquals(
        "{\"typ\":\"ltb+jwt",
        new String(Base64.getUrlDecoder().decode(ServerTokens.HEADER_PREFIX), "UTF-8"));
  }

  @Test
  void aTokenSignedWithTheHeaderShouldKeepItsBytesAndVerify() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ltb-k").generate();
    SignedJWT jwt =
        new SignedJWT(
            ServerTokens.header(JWSAlgorithm.ES256, "ltb-k"),
            new JWTClaimsSet.Builder().subject("s").build());
    jwt.sign(new ECDSASigner(key));
    String serialized = jwt.serialize();
    assertTrue(serialized.startsWith(ServerTokens.HEADER_PREFIX), serialized);
    SignedJWT parsed = SignedJWT.parse(serialized);
    assertTrue(parsed.verify(new ECDSAVerifier(key.toPublicJWK())));
    assertEquals("ltb-k", parsed.getHeader().getKeyID());
  }
}
