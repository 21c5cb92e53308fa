package dev.llmtestbench.provider.spi;

/** A function call the model asked for: the call id, the function name, its arguments as JSON. */
public record ToolCall(String id, String name, String arguments) {}
