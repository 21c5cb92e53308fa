package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.domain.SuggestedTarget;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps promptfoo provider ids ({@code openai:gpt-4o-mini}, {@code openai:chat:gpt-4o-mini}, {@code
 * anthropic:messages:claude-3-5-haiku-latest}, {@code ollama:chat:llama3:8b}, {@code echo}) to
 * registered providers: the import's {@code providerMap} (by full id, then by prefix) first, then a
 * provider named like the prefix, then the only registered provider of the matching adapter;
 * otherwise the prefix stays, and a run naming no targets reports it as unknown.
 */
final class PromptfooProviders {

  /** promptfoo's id prefixes and this server's adapters. */
  private static final Map<String, String> ADAPTERS =
      Map.ofEntries(
          Map.entry("openai", "openai"),
          Map.entry("azure", "azure-openai"),
          Map.entry("azureopenai", "azure-openai"),
          Map.entry("anthropic", "anthropic"),
          Map.entry("ollama", "ollama"),
          Map.entry("mistral", "mistral"),
          Map.entry("cohere", "cohere"),
          Map.entry("google", "gemini"),
          Map.entry("vertex", "gemini"),
          Map.entry("gemini", "gemini"),
          Map.entry("llama", "llamacpp"),
          Map.entry("echo", "simulator"));

  /** The API-kind segment of an id ({@code openai:chat:model}), not part of the model name. */
  private static final Set<String> KINDS =
      Set.of("chat", "completion", "messages", "responses", "assistant", "embedding", "embeddings");

  private final Map<String, String> providerMap;
  private final Map<String, String> registered;

  /**
   * @param providerMap the import's mapping, promptfoo id or prefix to a registered name
   * @param registered registered provider names to their adapters
   */
  PromptfooProviders(Map<String, String> providerMap, Map<String, String> registered) {
    this.providerMap = providerMap;
    this.registered = registered;
  }

  /** The target for a provider id, or null (with a warning) for ids that cannot run here. */
  SuggestedTarget target(String id, String label, ImportProblems problems) {
    String s = id.strip();
    if (s.startsWith("file://")
        || s.startsWith("exec:")
        || s.startsWith("python:")
        || s.startsWith("http")
        || s.startsWith("webhook:")) {
      problems.warn("Provider '" + s + "' (code, files or webhooks) cannot run here; skipped.");
      return null;
    }
    String[] parts = s.split(":");
    String prefix = parts[0];
    int from = 1;
    if (parts.length > 2 && KINDS.contains(parts[1])) {
      from = 2;
    }
    String model =
        parts.length > from ? String.join(":", List.of(parts).subList(from, parts.length)) : null;
    if ("echo".equals(prefix)) {
      return new SuggestedTarget(
          resolve(s, prefix, problems),
          "echo",
          label == null ? s : label,
          Map.of("answer", "echo"));
    }
    if (model == null || model.isBlank()) {
      problems.warn("Provider '" + s + "' names no model; skipped (use prefix:model).");
      return null;
    }
    return new SuggestedTarget(
        resolve(s, prefix, problems), model, label == null ? s : label, null);
  }

  /** A judge provider for an assertion, as {@code name:model}. */
  String ref(String id, ImportProblems problems) {
    SuggestedTarget t = target(id, null, problems);
    return t == null ? id : t.provider() + ":" + t.model();
  }

  private String resolve(String id, String prefix, ImportProblems problems) {
    if (providerMap.containsKey(id)) {
      return providerMap.get(id);
    }
    if (providerMap.containsKey(prefix)) {
      return providerMap.get(prefix);
    }
    if (registered.containsKey(prefix)) {
      return prefix;
    }
    String adapter = ADAPTERS.getOrDefault(prefix, prefix);
    List<String> candidates =
        registered.entrySet().stream()
            .filter(e -> e.getValue().equals(adapter))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    problems.warn(
        "No registered provider for '"
            + id
            + "'"
            + (candidates.isEmpty() ? "" : " (several match: " + candidates + ")")
            + "; import with providerMap="
            + prefix
            + "=<name> or pass targets when starting a run.");
    return prefix;
  }
}
