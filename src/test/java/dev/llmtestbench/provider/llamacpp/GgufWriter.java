package dev.llmtestbench.provider.llamacpp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes GGUF v3 files (little-endian, alignment 32) with f32 tensors, following the GGUF spec:
 * https://github.com/ggml-org/ggml/blob/master/docs/gguf.md (header, typed metadata key-values,
 * tensor infos with dimensions in ggml order, padding, then the tensor data each at an aligned
 * offset relative to the start of the data section).
 */
final class GgufWriter {

  static final int ALIGNMENT = 32;

  // gguf_metadata_value_type
  private static final int UINT32 = 4;
  private static final int INT32 = 5;
  private static final int FLOAT32 = 6;
  private static final int BOOL = 7;
  private static final int STRING = 8;
  private static final int ARRAY = 9;
  // ggml_type
  private static final int GGML_TYPE_F32 = 0;

  private record Tensor(String name, long[] dims, float[] data) {}

  private final Bytes metadata = new Bytes();
  private int metadataCount;
  private final List<Tensor> tensors = new ArrayList<>();

  GgufWriter string(String key, String value) {
    key(key, STRING);
    metadata.string(value);
    return this;
  }

  GgufWriter uint32(String key, int value) {
    key(key, UINT32);
    metadata.int32(value);
    return this;
  }

  GgufWriter float32(String key, float value) {
    key(key, FLOAT32);
    metadata.float32(value);
    return this;
  }

  GgufWriter bool(String key, boolean value) {
    key(key, BOOL);
    metadata.int8(value ? 1 : 0);
    return this;
  }

  GgufWriter strings(String key, List<String> values) {
    key(key, ARRAY);
    metadata.int32(STRING);
    metadata.int64(values.size());
    values.forEach(metadata::string);
    return this;
  }

  GgufWriter float32s(String key, float[] values) {
    key(key, ARRAY);
    metadata.int32(FLOAT32);
    metadata.int64(values.length);
    for (float value : values) {
      metadata.float32(value);
    }
    return this;
  }

  GgufWriter int32s(String key, int[] values) {
    key(key, ARRAY);
    metadata.int32(INT32);
    metadata.int64(values.length);
    for (int value : values) {
      metadata.int32(value);
    }
    return this;
  }

  /** Adds an f32 tensor; {@code dims} in ggml order (ne0 first, the contiguous dimension). */
  GgufWriter tensor(String name, float[] data, long... dims) {
    long elements = 1;
    for (long dim : dims) {
      elements *= dim;
    }
    if (elements != data.length) {
      throw new IllegalArgumentException(name + ": " + data.length + " values for " + elements);
    }
    tensors.add(new Tensor(name, dims, data));
    return this;
  }

  void write(Path path) throws IOException {
    Bytes out = new Bytes();
    out.raw("GGUF".getBytes(StandardCharsets.US_ASCII));
    out.int32(3);
    out.int64(tensors.size());
    out.int64(metadataCount);
    out.raw(metadata.toByteArray());
    long offset = 0;
    for (Tensor tensor : tensors) {
      out.string(tensor.name());
      out.int32(tensor.dims().length);
      for (long dim : tensor.dims()) {
        out.int64(dim);
      }
      out.int32(GGML_TYPE_F32);
      out.int64(offset);
      offset = align(offset + 4L * tensor.data().length);
    }
    out.pad();
    for (Tensor tensor : tensors) {
      for (float value : tensor.data()) {
        out.float32(value);
      }
      out.pad();
    }
    Files.write(path, out.toByteArray());
  }

  private void key(String key, int type) {
    metadata.string(key);
    metadata.int32(type);
    metadataCount++;
  }

  private static long align(long offset) {
    return offset + (ALIGNMENT - offset % ALIGNMENT) % ALIGNMENT;
  }

  /** A little-endian byte sink. */
  private static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    void raw(byte[] bytes) {
      out.writeBytes(bytes);
    }

    void int8(int value) {
      out.write(value);
    }

    void int32(int value) {
      scratch.clear();
      out.write(scratch.putInt(value).array(), 0, 4);
    }

    void int64(long value) {
      scratch.clear();
      out.write(scratch.putLong(value).array(), 0, 8);
    }

    void float32(float value) {
      scratch.clear();
      out.write(scratch.putFloat(value).array(), 0, 4);
    }

    void string(String value) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      int64(bytes.length);
      raw(bytes);
    }

    void pad() {
      while (out.size() % ALIGNMENT != 0) {
        out.write(0);
      }
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
