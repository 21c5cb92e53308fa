package dev.llmtestbench.benchmark.api;

import jakarta.validation.constraints.NotBlank;
import java.util.Map;

/** A provider/model to run, with optional per-target options (e.g. the simulator's latencyMs). */
public record TargetInput(
    @NotBlank(message = "Each target needs a provider (see GET /api/v1/providers).")
        String provider,
    @NotBlank(message = "Each target needs a model.") String model,
    Map<String, String> options) {}
