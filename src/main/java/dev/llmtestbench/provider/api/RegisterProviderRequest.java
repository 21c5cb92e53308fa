package dev.llmtestbench.provider.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Map;

/**
 * A provider to register, of any adapter but in-process ones. Its API key is either named by {@code
 * apiKeyEnv} (an environment variable of the server) or sent as {@code apiKey} and stored
 * encrypted; it is never returned. {@code settings} are the adapter's non-secret options.
 */
public record RegisterProviderRequest(
    @NotBlank(message = "Provider name is required.")
        @Pattern(
            regexp = "[a-z0-9][a-z0-9_.-]{0,62}",
            message = "Provider name must be 1-63 lowercase letters, digits, '.', '_' or '-'.")
        String name,
    @NotBlank(
            message =
                "adapter is required (see docs/providers.md), e.g. openai, anthropic, gemini.")
        String adapter,
    String kind,
    String baseUrl,
    String apiKeyEnv,
    String apiKey,
    List<String> models,
    @Positive(message = "timeoutMs must be positive.") Long timeoutMs,
    Map<String, String> settings) {}
