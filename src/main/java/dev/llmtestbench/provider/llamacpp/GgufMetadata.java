package dev.llmtestbench.provider.llamacpp;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The header and scalar metadata of a GGUF file (format:
 * https://github.com/ggml-org/ggml/blob/master/docs/gguf.md), read without touching the tensors.
 *
 * <p>llama.cpp explains why it rejects a file only on standard error; reading the header first
 * gives callers that reason for the common cases (not GGUF, wrong version, truncated) and tells how
 * the model's tokenizer adds special tokens, which the token counts need.
 */
record GgufMetadata(int version, long tensorCount, Map<String, Object> values) {

  private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
  private static final int MAX_KEY_BYTES = 65_535;
  private static final int MAX_KEPT_STRING_BYTES = 1 << 20;

  /** Reads the header of {@code path}; the exception message says what is wrong with it. */
  static GgufMetadata read(Path path) throws IOException {
    long size = Files.size(path);
    try (InputStream file = Files.newInputStream(path);
        DataInputStream in = new DataInputStream(new BufferedInputStream(file, 1 << 16))) {
      Reader reader = new Reader(in, size);
      int magic = reader.int32();
      if (magic != MAGIC) {
        throw new IOException("not a GGUF file (it does not start with the bytes 'GGUF')");
      }
      int version = reader.int32();
      if (version == 0x03000000 || version == 0x02000000) {
        throw new IOException("a big-endian GGUF file, which this platform cannot load");
      }
      if (version < 2 || version > 3) {
        throw new IOException("GGUF version " + version + " (llama.cpp reads versions 2 and 3)");
      }
      long tensors = reader.int64();
      long count = reader.int64();
      if (tensors < 0 || count < 0 || count > size / 8) {
        throw new IOException("a corrupt GGUF header (" + count + " metadata entries)");
      }
      Map<String, Object> values = new LinkedHashMap<>();
      for (long i = 0; i < count; i++) {
        String key = reader.string(MAX_KEY_BYTES);
        Object value = reader.value(reader.int32(), 0);
        if (value != null) {
          values.put(key, value);
        }
      }
      return new GgufMetadata(version, tensors, Collections.unmodifiableMap(values));
    } catch (EOFException e) {
      throw new IOException("a truncated GGUF file (it ends inside its metadata)", e);
    }
  }

  String string(String key) {
    return values.get(key) instanceof String text ? text : null;
  }

  Long number(String key) {
    return values.get(key) instanceof Number number ? number.longValue() : null;
  }

  Boolean bool(String key) {
    return values.get(key) instanceof Boolean flag ? flag : null;
  }

  /** The model's name ({@code general.name}), or null. */
  String name() {
    return string("general.name");
  }

  /** The context length the model was trained with ({@code <arch>.context_length}), or null. */
  Long trainedContext() {
    String architecture = string("general.architecture");
    return architecture == null ? null : number(architecture + ".context_length");
  }

  /**
   * How many special tokens llama.cpp adds around a prompt (BOS and/or EOS). Files written by
   * current converters say so in {@code tokenizer.ggml.add_bos_token}/{@code add_eos_token}; older
   * ones rely on llama.cpp's defaults, of which the SentencePiece ("llama") BOS is the one that
   * matters in practice.
   */
  int specialTokensAdded() {
    Boolean bos = bool("tokenizer.ggml.add_bos_token");
    Boolean eos = bool("tokenizer.ggml.add_eos_token");
    boolean addsBos = bos != null ? bos : "llama".equals(string("tokenizer.ggml.model"));
    return (addsBos ? 1 : 0) + (Boolean.TRUE.equals(eos) ? 1 : 0);
  }

  /** Little-endian reads that check every length against what is left of the file. */
  private static final class Reader {
    private final DataInputStream in;
    private long remaining;

    Reader(DataInputStream in, long size) {
      this.in = in;
      this.remaining = size;
    }

    int int32() throws IOException {
      take(4);
      return Integer.reverseBytes(in.readInt());
    }

    long int64() throws IOException {
      take(8);
      return Long.reverseBytes(in.readLong());
    }

    String string(int maxBytes) throws IOException {
      long length = int64();
      if (length < 0 || length > maxBytes) {
        throw new IOException("a corrupt GGUF string of " + length + " bytes");
      }
      take(length);
      return new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
    }

    // Returns scalars and strings; arrays (the vocabulary, merges, ...) are skipped.
    Object value(int type, int depth) throws IOException {
      switch (type) {
        case 0, 1 -> {
          take(1);
          int b = in.readUnsignedByte();
          return type == 1 ? (long) (byte) b : (long) b;
        }
        case 2, 3 -> {
          take(2);
          int s = Short.reverseBytes(in.readShort());
          return type == 3 ? (long) (short) s : (long) (s & 0xFFFF);
        }
        case 4 -> {
          return int32() & 0xFFFFFFFFL;
        }
        case 5 -> {
          return (long) int32();
        }
        case 6 -> {
          return (double) Float.intBitsToFloat(int32());
        }
        case 7 -> {
          take(1);
          return in.readUnsignedByte() != 0;
        }
        case 8 -> {
          long length = int64();
          if (length < 0) {
            throw new IOException("a corrupt GGUF string of " + length + " bytes");
          }
          if (length > MAX_KEPT_STRING_BYTES) {
            skip(length);
            return null;
          }
          take(length);
          return new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
        }
        case 9 -> {
          int elementType = int32();
          long count = int64();
          if (count < 0 || depth > 4) {
            throw new IOException("a corrupt GGUF array of " + count + " elements");
          }
          if (count > remaining) {
            throw new EOFException(); // every element takes at least one byte
          }
          int width = width(elementType);
          if (width > 0) {
            skip(count * width);
          } else {
            for (long i = 0; i < count; i++) {
              value(elementType, depth + 1);
            }
          }
          return null;
        }
        case 10, 11 -> {
          return int64();
        }
        case 12 -> {
          return Double.longBitsToDouble(int64());
        }
        default -> throw new IOException("an unknown GGUF metadata type " + type);
      }
    }

    private static int width(int type) {
      return switch (type) {
        case 0, 1, 7 -> 1;
        case 2, 3 -> 2;
        case 4, 5, 6 -> 4;
        case 10, 11, 12 -> 8;
        default -> 0;
      };
    }

    private void skip(long bytes) throws IOException {
      take(bytes);
      in.skipNBytes(bytes);
    }

    private void take(long bytes) throws IOException {
      if (bytes < 0 || bytes > remaining) {
        throw new EOFException();
      }
      remaining -= bytes;
    }
  }
}
