package dev.llmtestbench.provider.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GGUF header reader (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md). */
class GgufMetadataTest {

  @TempDir Path dir;

  @Test
  void shouldReadScalarMetadataAndSkipArrays() throws Exception {
    Path model = TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 1);

    GgufMetadata metadata = GgufMetadata.read(model);

    assertEquals(3, metadata.version());
    assertEquals(3 + 9 * TinyLlamaGguf.LAYERS, metadata.tensorCount());
    assertEquals(TinyLlamaGguf.NAME, metadata.name());
    assertEquals((long) TinyLlamaGguf.CONTEXT, metadata.trainedContext());
    assertEquals("llama", metadata.string("tokenizer.ggml.model"));
    assertEquals(
        1e-5, (Double) metadata.values().get("llama.attention.layer_norm_rms_epsilon"), 1e-9);
    assertNull(metadata.values().get("tokenizer.ggml.tokens"));
    assertEquals(1, metadata.specialTokensAdded());
  }

  @Test
  void shouldFollowTheTokenizerFlagsForSpecialTokens() throws Exception {
    Path bpe = dir.resolve("bpe.gguf");
    new GgufWriter()
        .string("general.architecture", "llama")
        .string("tokenizer.ggml.model", "gpt2")
        .strings("tokenizer.ggml.tokens", List.of("a", "b"))
        .bool("tokenizer.ggml.add_eos_token", true)
        .write(bpe);
    Path spm = dir.resolve("spm.gguf");
    new GgufWriter().string("tokenizer.ggml.model", "llama").write(spm);

    assertEquals(1, GgufMetadata.read(bpe).specialTokensAdded());
    assertEquals(1, GgufMetadata.read(spm).specialTokensAdded());
  }

  @Test
  void shouldSayWhatIsWrongWithAFile() throws Exception {
    byte[] model = Files.readAllBytes(TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 1));
    Path text = Files.writeString(dir.resolve("text.gguf"), "hello, world");
    Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(model, 200));
    byte[] v1 = Arrays.copyOf(model, model.length);
    ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1);
    Path old = Files.write(dir.resolve("old.gguf"), v1);

    assertTrue(message(text).contains("not a GGUF file"), message(text));
    assertTrue(message(cut).contains("truncated"), message(cut));
    assertTrue(message(old).contains("GGUF version 1"), message(old));
  }

  private static String message(Path file) {
    return assertThrows(IOException.class, () -> GgufMetadata.read(file)).getMessage();
  }
}
