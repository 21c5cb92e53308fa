package dev.llmtestbench.evaluation.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainTest {

  @Test
  void shouldDeserializeAssertionSpecsWithJsonb() throws Exception {
    String json =
        "[{\"type\": \"contains\", \"value\": \"Paris\", \"threshold\": 0.5, \"weight\": 2,"
            + " \"metric\": \"mentions-paris\"},"
            + " {\"type\": \"latency\", \"threshold\": 1500}]";

    try (Jsonb jsonb = JsonbBuilder.create()) {
      List<AssertionSpec> specs =
          jsonb.fromJson(json, new ArrayList<AssertionSpec>() {}.getClass().getGenericSuperclass());

      assertEquals(
          List.of(
              new AssertionSpec("contains", "Paris", 0.5, 2.0, "mentions-paris", null, null),
              new AssertionSpec("latency", null, 1500.0, null, null, null, null)),
          specs);
    }
  }

  @Test
  void shouldKeepNonStringValuesAsTheirJsonTextAndReadProviderAndOptions() throws Exception {
    String json =
        "[{\"type\": \"contains-any\", \"value\": [\"Paris\", \"paris\"]},"
            + " {\"type\": \"is-json\", \"value\": {\"type\": \"object\"}},"
            + " {\"type\": \"equals\", \"value\": 42},"
            + " {\"type\": \"llm-rubric\", \"value\": \"is polite\", \"provider\":"
            + " \"openai:gpt-4o-mini\", \"options\": {\"samples\": 3}}]";

    try (Jsonb jsonb = JsonbBuilder.create()) {
      List<AssertionSpec> specs =
          jsonb.fromJson(json, new ArrayList<AssertionSpec>() {}.getClass().getGenericSuperclass());

      assertEquals("[\"Paris\",\"paris\"]", specs.get(0).value());
      assertEquals("{\"type\":\"object\"}", specs.get(1).value());
      assertEquals("42", specs.get(2).value());
      assertEquals("is polite", specs.get(3).value());
      assertEquals("openai:gpt-4o-mini", specs.get(3).provider());
      assertEquals(3, ((Number) specs.get(3).options().get("samples")).intValue());
    }
  }

  @Test
  void shouldTreatNullOutputAndVarsAsEmpty() {
    EvaluationContext ctx = new EvaluationContext(null, null, null, 0, null);

    assertEquals("", ctx.output());
    assertEquals(Map.of(), ctx.vars());
  }

  @Test
  void shouldCopyVarsSoLaterChangesDoNotLeakIn() {
    Map<String, Object> vars = new HashMap<>(Map.of("city", "Paris"));
    EvaluationContext ctx = new EvaluationContext("p", "o", null, 0, vars);
    vars.put("city", "Lyon");

    assertEquals(Map.of("city", "Paris"), ctx.vars());
  }

  @Test
  void shouldRejectNegativeLatency() {
    assertThrows(
        IllegalArgumentException.class, () -> new EvaluationContext("p", "o", null, -1, null));
  }

  @Test
  void shouldCopyEvaluationResults() {
    List<AssertionResult> results = new ArrayList<>();
    results.add(new AssertionResult("m", "contains", true, 1.0, "ok"));
    Evaluation evaluation = new Evaluation(true, 1.0, results);
    results.clear();

    assertEquals(1, evaluation.results().size());
  }

  @Test
  void shouldFormatInvalidAssertionMessageWithPositionAndType() {
    InvalidAssertionException e = new InvalidAssertionException(4, "regex", "bad pattern.");

    assertEquals("Assertion 4 ('regex'): bad pattern.", e.getMessage());
    assertEquals(4, e.index());
    assertEquals("regex", e.type());
  }
}
