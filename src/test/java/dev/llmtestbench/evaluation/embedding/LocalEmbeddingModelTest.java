package dev.llmtestbench.evaluation.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmtestbench.evaluation.metrics.VectorSimilarity;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real all-MiniLM-L6-v2 (quantized) model, loaded from the dependency's jar: semantically close
 * sentences score higher than unrelated ones, vectors are deterministic unit vectors of 384
 * dimensions.
 */
class LocalEmbeddingModelTest {

  private static final LocalEmbeddingModel MODEL = new LocalEmbeddingModel();

  @BeforeAll
  static void load() {
    MODEL.embed(List.of("warm up"));
    System.out.println("all-minilm-l6-v2-q loaded in " + MODEL.loadMillis() + " ms");
  }

  private static double cosine(String a, String b) {
    List<float[]> v = MODEL.embed(List.of(a, b));
    return VectorSimilarity.COSINE.compute(v.get(0), v.get(1));
  }

  @Test
  void shouldReturnUnitVectorsOf384Dimensions() {
    List<float[]> vectors = MODEL.embed(List.of("The cat sat on the mat.", "Paris is in France."));
    assertEquals(2, vectors.size());
    for (float[] v : vectors) {
      assertEquals(LocalEmbeddingModel.DIMENSIONS, v.length);
      double norm = Math.sqrt(VectorSimilarity.DOT.compute(v, v));
      assertEquals(1.0, norm, 1e-4);
    }
  }

  @Test
  void shouldScoreIdenticalTextAsOne() {
    assertEquals(
        1.0, cosine("The capital of France is Paris.", "The capital of France is Paris."), 1e-5);
  }

  @Test
  void shouldScoreParaphrasesAboveUnrelatedSentences() {
    String reference = "The capital of France is Paris.";
    double paraphrase = cosine(reference, "Paris is France's capital city.");
    double unrelated = cosine(reference, "I had pasta with tomato sauce for dinner.");
    assertTrue(paraphrase > 0.75, "paraphrase scored " + paraphrase);
    assertTrue(unrelated < 0.3, "unrelated sentence scored " + unrelated);
    assertTrue(paraphrase > unrelated + 0.4, paraphrase + " vs " + unrelated);

    double sameTopic = cosine("A man is playing a guitar.", "Someone plays an instrument.");
    double otherTopic =
        cosine("A man is playing a guitar.", "The stock market fell sharply today.");
    assertTrue(sameTopic > otherTopic, sameTopic + " vs " + otherTopic);
  }

  @Test
  void shouldBeDeterministicAcrossCallsAndBatches() {
    float[] alone = MODEL.embed(List.of("Deterministic output, please.")).get(0);
    float[] inBatch =
        MODEL.embed(List.of("Something else first.", "Deterministic output, please.")).get(1);
    assertArrayEquals(alone, MODEL.embed(List.of("Deterministic output, please.")).get(0));
    assertArrayEquals(alone, inBatch, 1e-5f);
  }

  @Test
  void shouldEmbedTextLongerThanTheModelWindow() {
    String longText = "Embeddings of long documents are averaged over parts. ".repeat(200);
    float[] v = MODEL.embed(List.of(longText)).get(0);
    assertEquals(LocalEmbeddingModel.DIMENSIONS, v.length);
    double c = cosine(longText, "Embeddings of long documents are averaged over parts.");
    assertTrue(c > 0.8, "long text scored " + c);
  }

  @Test
  void shouldRejectBlankTextSayingWhich() {
    var e = assertThrows(IllegalArgumentException.class, () -> MODEL.embed(List.of("fine", "  ")));
    assertTrue(e.getMessage().startsWith("Text 2 is empty"), e.getMessage());
  }
}
