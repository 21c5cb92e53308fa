package dev.llmtestbench.provider.spi;

import java.util.Objects;

/**
 * A function the model may call: its name, description, and parameters as a JSON Schema document (a
 * JSON object, as text).
 */
public record ToolSpec(String name, String description, String parametersSchema) {

  public ToolSpec {
    Objects.requireNonNull(name, "name");
    parametersSchema =
        parametersSchema == null ? "{\"type\":\"object\",\"properties\":{}}" : parametersSchema;
  }
}
