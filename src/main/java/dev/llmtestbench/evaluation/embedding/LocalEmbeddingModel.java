package dev.llmtestbench.evaluation.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The in-process sentence-embedding model: all-MiniLM-L6-v2, quantized, on ONNX Runtime (384
 * dimensions, unit length, texts longer than the model's 512 tokens are embedded in parts and
 * averaged). Loaded on first use, once; thread-safe.
 */
final class LocalEmbeddingModel {

  /** The model's name as reported with its vectors. */
  static final String NAME = "all-minilm-l6-v2-q";

  /** The length of every vector it returns. */
  static final int DIMENSIONS = 384;

  private static final Logger LOG = Logger.getLogger(LocalEmbeddingModel.class.getName());

  private volatile EmbeddingModel model;
  private volatile RuntimeException loadFailure;
  private volatile long loadMillis = -1;

  /**
   * Embeds texts on the calling thread, one unit vector per text in order.
   *
   * @throws IllegalArgumentException if a text is blank (the model cannot embed it)
   * @throws IllegalStateException if the model could not be loaded
   */
  List<float[]> embed(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      if (text == null || text.isBlank()) {
        throw new IllegalArgumentException(
            "Text " + (i + 1) + " is empty: " + NAME + " cannot embed empty text.");
      }
      segments.add(TextSegment.from(text));
    }
    List<Embedding> embeddings = model().embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (Embedding embedding : embeddings) {
      vectors.add(embedding.vector());
    }
    return vectors;
  }

  /** How long loading took in milliseconds, or -1 before it has been loaded. */
  long loadMillis() {
    return loadMillis;
  }

  private EmbeddingModel model() {
    EmbeddingModel loaded = model;
    if (loaded != null) {
      return loaded;
    }
    synchronized (this) {
      if (model == null) {
        if (loadFailure != null) {
          throw loadFailure;
        }
        long start = System.nanoTime();
        try {
          // The caller already runs on a bounded executor: the model must not start its own
          // threads, so its batches run on the calling thread.
          model = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
        } catch (RuntimeException | LinkageError e) {
          // The model class loads the ONNX file and the native libraries in its static
          // initializer, which never runs twice: keep the reason for every later call.
          loadFailure =
              new IllegalStateException(
                  "The in-process embedding model "
                      + NAME
                      + " could not be loaded: "
                      + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                  e);
          throw loadFailure;
        }
        loadMillis = (System.nanoTime() - start) / 1_000_000;
        LOG.info(
            () ->
                "Loaded the in-process embedding model "
                    + NAME
                    + " ("
                    + DIMENSIONS
                    + " dimensions) in "
                    + loadMillis
                    + " ms.");
      }
      return model;
    }
  }
}
