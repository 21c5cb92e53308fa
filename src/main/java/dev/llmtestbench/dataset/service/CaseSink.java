package dev.llmtestbench.dataset.service;

import dev.llmtestbench.dataset.api.CreateDatasetRequest;
import dev.llmtestbench.dataset.api.TestCaseInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a streaming importer sends what it reads, as it reads it: first the dataset's prompt
 * template (once, before any case), then each case.
 */
interface CaseSink {

  /** The dataset's prompt template (null for none), given once before the first case. */
  void template(String promptTemplate);

  void add(TestCaseInput testCase);

  /**
   * What a streaming importer reads, all kept in memory as one request: for small documents and
   * tests. {@code read} reads into the sink given and answers the import's metadata.
   */
  static CreateDatasetRequest collect(
      ImportOptions o, Function<CaseSink, Map<String, Object>> read) {
    Collected sink = new Collected();
    Map<String, Object> metadata = read.apply(sink);
    return new CreateDatasetRequest(
        o.name(),
        o.description(),
        sink.template,
        o.assertions(),
        o.tags(),
        metadata,
        sink.cases,
        null,
        null,
        null);
  }

  /** Keeps everything in memory. */
  final class Collected implements CaseSink {
    String template;
    final List<TestCaseInput> cases = new ArrayList<>();

    @Override
    public void template(String promptTemplate) {
      template = promptTemplate;
    }

    @Override
    public void add(TestCaseInput testCase) {
      cases.add(testCase);
    }
  }
}
