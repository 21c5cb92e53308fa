package dev.llmtestbench.provider.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Map;

/**
 * A provider to register: an OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp, Ollama's /v1, LM
 * Studio) or another simulator. The API key is named by {@code apiKeyEnv}, never sent.
 */
public record RegisterProviderRequest(
    @NotBlank(message = "Provider name is required.")
        @Pattern(
            regexp = "[a-z0-9][a-z0-9_.-]{0,62}",
            message = "Provider name must be 1-63 lowercase letters, digits, '.', '_' or '-'.")
        String name,
    @NotBlank(message = "adapter is required: openai or simulator.") String adapter,
    String kind,
    String baseUrl,
    String apiKeyEnv,
    String apiKey,
    List<String> models,
    @Positive(message = "timeoutMs must be positive.") Long timeoutMs,
    Map<String, String> settings) {}
