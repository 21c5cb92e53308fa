package dev.llmtestbench.provider.spi;

/** One generated token and its log probability (natural log), as the provider reported it. */
public record TokenLogprob(String token, double logprob) {}
