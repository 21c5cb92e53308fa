package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.spi.AssertionTypeProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The custom assertion types on offer, by type: filled from the {@link AssertionTypeProvider} beans
 * at start (see {@code AssertionExtensionLoader}) and read by {@link Assertions#compile}.
 */
public final class AssertionExtensions {

  private static volatile Map<String, AssertionTypeProvider> byType = Map.of();

  private AssertionExtensions() {}

  /**
   * Replaces the custom types with those of the given providers.
   *
   * @throws IllegalArgumentException when a type is built in, offered twice, or starts with {@code
   *     not-}
   */
  public static void install(List<? extends AssertionTypeProvider> providers) {
    Map<String, AssertionTypeProvider> types = new HashMap<>();
    for (AssertionTypeProvider provider : providers) {
      for (String type : provider.types()) {
        if (type == null || type.isBlank() || type.startsWith(Assertions.NEGATION)) {
          throw new IllegalArgumentException(
              provider.getClass().getName() + " offers an invalid type \"" + type + "\".");
        }
        if (Assertions.TYPES.contains(type)) {
          throw new IllegalArgumentException(
              provider.getClass().getName() + " offers \"" + type + "\", a built-in type.");
        }
        AssertionTypeProvider other = types.putIfAbsent(type, provider);
        if (other != null) {
          throw new IllegalArgumentException(
              "Type \""
                  + type
                  + "\" is offered by both "
                  + other.getClass().getName()
                  + " and "
                  + provider.getClass().getName()
                  + ".");
        }
      }
    }
    byType = Map.copyOf(types);
  }

  /** The provider of a custom type, or null. */
  static AssertionTypeProvider find(String type) {
    return byType.get(type);
  }

  /** The custom types on offer. */
  public static java.util.Set<String> types() {
    return byType.keySet();
  }
}
