/**
 * Exact, dependency-free statistics for evaluation summaries: confidence intervals, paired tests
 * against a baseline, consistency across repeats and multiple-comparison adjustment.
 */
package dev.llmtestbench.evaluation.stats;
