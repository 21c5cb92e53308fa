package dev.llmtestbench.provider.spi;

import java.util.Objects;

/**
 * A non-text part of a message: an image or audio clip, inline as base64 {@code data} with its
 * {@code mediaType} (e.g. {@code image/png}, {@code audio/wav}), or by {@code url} where the
 * provider fetches it.
 */
public record ContentPart(String type, String mediaType, String data, String url) {

  public static final String IMAGE = "image";
  public static final String AUDIO = "audio";

  public ContentPart {
    Objects.requireNonNull(type, "type");
    if (data == null && url == null) {
      throw new IllegalArgumentException("A content part needs data or a url.");
    }
  }

  public static ContentPart image(String mediaType, String base64) {
    return new ContentPart(IMAGE, mediaType, base64, null);
  }

  public static ContentPart audio(String mediaType, String base64) {
    return new ContentPart(AUDIO, mediaType, base64, null);
  }
}
