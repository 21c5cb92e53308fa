/**
 * The service-provider interface for custom assertion types: the seam WebAssembly plugins plug
 * into. Implement {@link dev.llmtestbench.evaluation.spi.AssertionTypeProvider} as a CDI bean.
 */
package dev.llmtestbench.evaluation.spi;
