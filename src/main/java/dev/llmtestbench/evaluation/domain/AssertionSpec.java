package dev.llmtestbench.evaluation.domain;

import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import java.util.Map;

/**
 * One assertion as configured on a test case, before validation (see {@code Assertions.compile}).
 *
 * @param type assertion type such as {@code "contains"}; a {@code "not-"} prefix negates it
 * @param value the assertion's argument, when its type takes one; in JSON any value, where arrays,
 *     objects, numbers and booleans are kept as their JSON text
 * @param threshold for {@code latency} the maximum milliseconds, for {@code cost} the maximum US
 *     dollars (both required), for {@code levenshtein} the maximum edit distance (default 5), for
 *     {@code perplexity} the maximum perplexity; otherwise the minimum score to pass, between 0 and
 *     1, default 1.0 ({@code f1}: 0.5; the text metrics have their own defaults, see {@code
 *     TextMetricAssertion})
 * @param weight relative weight in the test's score, default 1.0; 0 reports without scoring
 * @param metric name to report the result under, default the type
 * @param provider for assertions graded by a model (LLM-as-judge, embedding similarity): the
 *     registered provider, optionally with a model as {@code "name:model"}; null for the default
 * @param options type-specific settings of model-graded assertions (e.g. judge samples), may be
 *     null
 */
public record AssertionSpec(
    String type,
    @JsonbTypeDeserializer(JsonTextDeserializer.class) String value,
    Double threshold,
    Double weight,
    String metric,
    String provider,
    Map<String, Object> options) {

  public AssertionSpec {
    options = options == null ? null : Map.copyOf(options);
  }
}
