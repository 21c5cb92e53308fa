package dev.llmtestbench.provider.measure;

/**
 * What one call cost, in the pricing table's currency: the {@code cost_details} breakdown of a
 * result ({@code totalCost} = {@code promptCost} + {@code completionCost} + image, audio and
 * embedding costs where present), {@code cacheSavings} (what cached prompt tokens saved against the
 * uncached input rate), the {@code pricingVersion} of the table used, and whether the token counts
 * priced were {@code estimated} rather than reported by the provider.
 */
public record CostDetails(
    double totalCost,
    double promptCost,
    double completionCost,
    Double imageCost,
    Double audioCost,
    Double embeddingCost,
    double cacheSavings,
    String pricingVersion,
    boolean estimated) {}
