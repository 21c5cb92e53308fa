package dev.llmtestbench.provider.service;

import dev.llmtestbench.provider.measure.CostDetails;
import dev.llmtestbench.provider.measure.PricingTable;
import dev.llmtestbench.provider.measure.TokenEstimator;
import dev.llmtestbench.provider.spi.Completion;
import dev.llmtestbench.provider.spi.CompletionRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Tokens and cost of a call: estimates tokens a provider did not report (flagged as estimated) and
 * prices the call from the bundled pricing table, overridden by {@code ltb.pricing.*} keys.
 */
@ApplicationScoped
public class ProviderMetering {

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(ProviderMetering.class.getName());
  private final TokenEstimator tokens = new TokenEstimator();
  private volatile PricingTable pricing;

  public Completion withTokens(String model, CompletionRequest request, Completion c) {
    return tokens.estimateIfMissing(model, request, c);
  }

  public Optional<CostDetails> cost(String adapter, String model, Completion c) {
    return pricing().cost(adapter, model, c);
  }

  public PricingTable pricing() {
    PricingTable p = pricing;
    if (p == null) {
      Config config = ConfigProvider.getConfig();
      Map<String, String> overrides = new HashMap<>();
      for (String key : config.getPropertyNames()) {
        if (key.startsWith(PricingTable.OVERRIDE_PREFIX)) {
          config.getOptionalValue(key, String.class).ifPresent(v -> overrides.put(key, v));
        }
      }
      p = PricingTable.load();
      try {
        p = p.withOverrides(PricingTable.overridesFrom(overrides));
      } catch (IllegalArgumentException e) {
        // A bad override must not fail every run: price from the table and say why.
        LOG.warning("Ignoring the ltb.pricing.* overrides: " + e.getMessage());
      }
      pricing = p;
    }
    return p;
  }
}
