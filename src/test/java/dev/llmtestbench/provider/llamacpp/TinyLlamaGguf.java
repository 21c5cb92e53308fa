package dev.llmtestbench.provider.llamacpp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny llama-architecture model with random weights and a SentencePiece-style ("llama")
 * vocabulary, written as GGUF so llama.cpp can load and run it: its output is noise, but loading,
 * tokenizing, sampling and streaming are the real thing.
 *
 * <p>Keys and tensor shapes follow llama.cpp's llama-arch/llama-model (LLM_ARCH_LLAMA) and
 * llama-vocab (LLAMA_VOCAB_TYPE_SPM): the vocabulary has {@code <unk>}, {@code <s>}, {@code </s>},
 * the byte-fallback tokens {@code <0x00>..<0x7F>} (llama.cpp looks up {@code <0x0A>} for the
 * newline), letters and a few word pieces. Leaving out the bytes above 0x7F means every token
 * decodes to whole characters on its own, so each sampled token is streamed separately.
 */
final class TinyLlamaGguf {

  static final String NAME = "tiny-random-llama";
  static final int EMBEDDING = 64;
  static final int HEADS = 4;
  static final int KV_HEADS = 2;
  static final int LAYERS = 2;
  static final int FEED_FORWARD = 128;
  static final int CONTEXT = 512;

  // llama_token_type as stored in tokenizer.ggml.token_type.
  private static final int NORMAL = 1;
  private static final int UNKNOWN = 2;
  private static final int CONTROL = 3;
  private static final int BYTE = 6;

  private static final String[] PIECES = {
    "▁", "▁t", "▁the", "▁a", "▁is", "▁of", "▁and", "▁to", "▁in", "he", "in", "er", "an", "on", "re",
    "at", "en"
  };

  private TinyLlamaGguf() {}

  /** Writes the model to {@code file} with weights drawn from {@code seed}. */
  static Path write(Path file, long seed) throws IOException {
    List<String> tokens = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    add(tokens, types, scores, "<unk>", UNKNOWN, 0f);
    add(tokens, types, scores, "<s>", CONTROL, 0f);
    add(tokens, types, scores, "</s>", CONTROL, 0f);
    for (int b = 0; b < 128; b++) {
      add(tokens, types, scores, String.format("<0x%02X>", b), BYTE, 0f);
    }
    for (char c = 'a'; c <= 'z'; c++) {
      add(tokens, types, scores, String.valueOf(c), NORMAL, -10f);
    }
    for (int i = 0; i < PIECES.length; i++) {
      add(tokens, types, scores, PIECES[i], NORMAL, -1f - i);
    }
    int vocab = tokens.size();
    int headDim = EMBEDDING / HEADS;
    int kvDim = headDim * KV_HEADS;

    GgufWriter gguf =
        new GgufWriter()
            .string("general.architecture", "llama")
            .string("general.name", NAME)
            .uint32("general.alignment", GgufWriter.ALIGNMENT)
            .uint32("general.file_type", 0)
            .uint32("llama.context_length", CONTEXT)
            .uint32("llama.embedding_length", EMBEDDING)
            .uint32("llama.block_count", LAYERS)
            .uint32("llama.feed_forward_length", FEED_FORWARD)
            .uint32("llama.attention.head_count", HEADS)
            .uint32("llama.attention.head_count_kv", KV_HEADS)
            .float32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .uint32("llama.rope.dimension_count", headDim)
            .float32("llama.rope.freq_base", 10000f)
            .uint32("llama.vocab_size", vocab)
            .string("tokenizer.ggml.model", "llama")
            .strings("tokenizer.ggml.tokens", tokens)
            .float32s("tokenizer.ggml.scores", toFloats(scores))
            .int32s(
                "tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray())
            .uint32("tokenizer.ggml.unknown_token_id", 0)
            .uint32("tokenizer.ggml.bos_token_id", 1)
            .uint32("tokenizer.ggml.eos_token_id", 2)
            .bool("tokenizer.ggml.add_bos_token", true)
            .bool("tokenizer.ggml.add_eos_token", false);

    Random random = new Random(seed);
    gguf.tensor("token_embd.weight", noise(random, EMBEDDING * vocab), EMBEDDING, vocab);
    for (int layer = 0; layer < LAYERS; layer++) {
      String blk = "blk." + layer + ".";
      gguf.tensor(blk + "attn_norm.weight", ones(EMBEDDING), EMBEDDING)
          .tensor(blk + "attn_q.weight", noise(random, EMBEDDING * EMBEDDING), EMBEDDING, EMBEDDING)
          .tensor(blk + "attn_k.weight", noise(random, EMBEDDING * kvDim), EMBEDDING, kvDim)
          .tensor(blk + "attn_v.weight", noise(random, EMBEDDING * kvDim), EMBEDDING, kvDim)
          .tensor(
              blk + "attn_output.weight",
              noise(random, EMBEDDING * EMBEDDING),
              EMBEDDING,
              EMBEDDING)
          .tensor(blk + "ffn_norm.weight", ones(EMBEDDING), EMBEDDING)
          .tensor(
              blk + "ffn_gate.weight",
              noise(random, EMBEDDING * FEED_FORWARD),
              EMBEDDING,
              FEED_FORWARD)
          .tensor(
              blk + "ffn_up.weight",
              noise(random, EMBEDDING * FEED_FORWARD),
              EMBEDDING,
              FEED_FORWARD)
          .tensor(
              blk + "ffn_down.weight",
              noise(random, FEED_FORWARD * EMBEDDING),
              FEED_FORWARD,
              EMBEDDING);
    }
    gguf.tensor("output_norm.weight", ones(EMBEDDING), EMBEDDING)
        .tensor("output.weight", noise(random, EMBEDDING * vocab), EMBEDDING, vocab);
    gguf.write(file);
    return file;
  }

  private static void add(
      List<String> tokens, List<Integer> types, List<Float> scores, String t, int type, float s) {
    tokens.add(t);
    types.add(type);
    scores.add(s);
  }

  private static float[] toFloats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static float[] noise(Random random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (random.nextGaussian() * 0.5);
    }
    return out;
  }

  private static float[] ones(int n) {
    float[] out = new float[n];
    java.util.Arrays.fill(out, 1f);
    return out;
  }
}
