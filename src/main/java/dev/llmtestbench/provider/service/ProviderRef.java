package dev.llmtestbench.provider.service;

/**
 * A reference to a registered provider and optionally one of its models, written {@code "name"} or
 * {@code "name:model"} (a model name may itself contain colons, as Ollama's {@code llama3:8b}).
 *
 * @param name the registered provider's name
 * @param model the model, or null for the provider's default
 */
public record ProviderRef(String name, String model) {

  /**
   * Parses a reference.
   *
   * @throws IllegalArgumentException if the text is blank or has no name before the colon
   */
  public static ProviderRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "A provider reference is required, written \"name\" or \"name:model\".");
    }
    String trimmed = text.strip();
    int colon = trimmed.indexOf(':');
    if (colon < 0) {
      return new ProviderRef(trimmed, null);
    }
    String name = trimmed.substring(0, colon);
    String model = trimmed.substring(colon + 1);
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "Provider reference \"" + text + "\" has no provider name before ':'.");
    }
    return new ProviderRef(name, model.isEmpty() ? null : model);
  }

  /** The model to call: this reference's, else the provider's first configured model. */
  public String modelOr(RegisteredProvider provider) {
    if (model != null) {
      return model;
    }
    var models = provider.provider().models();
    return models.isEmpty() ? null : models.get(0);
  }

  @Override
  public String toString() {
    return model == null ? name : name + ":" + model;
  }
}
