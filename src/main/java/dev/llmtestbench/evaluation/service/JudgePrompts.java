package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.platform.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The built-in judge prompts, read once from the {@code judge-prompts/} resources. */
public final class JudgePrompts {

  private static final String DIR = "/judge-prompts/";
  private static final Map<String, JudgePrompt> PROMPTS = load();

  private JudgePrompts() {}

  /** Every built-in prompt, by id, in catalog order. */
  public static List<JudgePrompt> all() {
    return List.copyOf(PROMPTS.values());
  }

  /** The built-in prompt with this id; a missing one is a packaging bug. */
  static JudgePrompt get(String id) {
    JudgePrompt p = PROMPTS.get(id);
    if (p == null) {
      throw new IllegalStateException("No judge prompt " + id + " in " + DIR);
    }
    return p;
  }

  private static Map<String, JudgePrompt> load() {
    Map<String, JudgePrompt> prompts = new LinkedHashMap<>();
    for (String id : read("index.txt").split("\n")) {
      if (!id.isBlank()) {
        JudgePrompt p = Json.read(read(id.strip() + ".json"), JudgePrompt.class);
        prompts.put(p.id(), p);
      }
    }
    return prompts;
  }

  private static String read(String name) {
    try (InputStream in = JudgePrompts.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + DIR + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
