package dev.llmtestbench.dataset.domain;

import java.util.List;
import java.util.Map;

/**
 * A quick render microbenchmark (no JMH): warms up, then times renders of three templates the way
 * ItemExecutor uses them ({@code PromptTemplate.of} from the cache, then {@code render}). Run (see
 * docs/benchmarks.md): {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * dev.llmtestbench.dataset.domain.PromptTemplateBench}.
 */
public final class PromptTemplateBench {

  private PromptTemplateBench() {}

  public static void main(String[] args) {
    Map<String, Object> vars =
        Map.of(
            "question",
            "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips"
                + " in May. How many clips did Natalia sell altogether in April and May?",
            "meta",
            Map.of("level", "easy"),
            "items",
            List.of("alpha", "beta", "gamma"),
            "formal",
            true);
    String[] sources = {
      "Solve the following grade-school math problem. Question: {{question}}",
      "{{ question | trim }} ({{ meta.level }}){% if formal %} Please.{% endif %}",
      "{% for i in items %}{{ loop.index }}. {{ i | upper }}\n{% endfor %}{{ question }}"
    };
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    for (String s : sources) {
      long sink = 0;
      for (int i = 0; i < n / 4; i++) {
        sink += PromptTemplate.of(s).render(vars).length();
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += PromptTemplate.of(s).render(vars).length();
      }
      double ns = (System.nanoTime() - t0) / (double) n;
      System.out.printf("%8.0f ns/render  %s  (sink %d)%n", ns, s.replace("\n", "\\n"), sink % 10);
    }
  }
}
