package dev.llmtestbench.evaluation.api;

import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.evaluation.service.Assertions;
import dev.llmtestbench.evaluation.service.GradingService;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.ApiException.Violation;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Scores one response with assertions, without a run: for CI scripts and ad-hoc checks. */
@Path("/evaluate")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluation")
public class EvaluationResource {

  @Inject GradingService grading;

  @Inject
  @ConfigProperty(name = "ltb.evaluation.evaluate-timeout-ms", defaultValue = "120000")
  long timeoutMs;

  @RequiresPermission(Permission.RUN_BENCHMARK)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Evaluate one response",
      description =
          "Applies the assertions to the output and answers pass, the weighted score and each"
              + " assertion's outcome. Nothing is stored.")
  public EvaluationView evaluate(
      @NotNull(message = "A JSON body with output and assertions is required.") @Valid
          EvaluateRequest r) {
    List<dev.llmtestbench.evaluation.domain.Assertion> assertions;
    try {
      assertions = Assertions.compileAll(r.assertions());
    } catch (InvalidAssertionException e) {
      throw ApiException.badRequest(
          e.getMessage(), List.of(new Violation("assertions", e.getMessage())));
    }
    List<String> judges = grading.judgeProblems(assertions);
    if (!judges.isEmpty()) {
      throw ApiException.badRequest(
          String.join(" ", judges),
          judges.stream().map(m -> new Violation("assertions", m)).toList());
    }
    {
      var ctx =
          new EvaluationContext(
              r.prompt(),
              r.output(),
              r.expected(),
              r.latencyMs() == null ? 0 : r.latencyMs(),
              r.vars(),
              r.finishReason(),
              r.cost(),
              List.of(),
              r.logprobs());
      try {
        // Judges answer in seconds; the bound keeps a stuck judge from holding the request.
        return EvaluationView.of(
            grading.evaluate(assertions, ctx).get(timeoutMs, TimeUnit.MILLISECONDS));
      } catch (TimeoutException e) {
        throw new ApiException(
            504,
            "grading-timeout",
            "Grading timed out",
            "The judges did not answer within "
                + timeoutMs
                + " ms (ltb.evaluation.evaluate-timeout-ms).",
            List.of());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while grading", e);
      } catch (ExecutionException e) {
        // evaluate never completes exceptionally; this would be a bug.
        throw new IllegalStateException("Grading failed", e.getCause());
      }
    }
  }
}
