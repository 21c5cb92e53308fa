package dev.llmtestbench.evaluation.domain;

/**
 * The outcome of one assertion against one output.
 *
 * @param metric the name the result is reported under
 * @param type the assertion type, including any {@code "not-"} prefix
 * @param pass whether the assertion passed
 * @param score between 0 and 1
 * @param reason a short human-readable explanation
 */
public record AssertionResult(
    String metric, String type, boolean pass, double score, String reason) {}
