package dev.llmtestbench.evaluation.api;

import dev.llmtestbench.evaluation.domain.EvaluationContext;
import dev.llmtestbench.evaluation.domain.InvalidAssertionException;
import dev.llmtestbench.evaluation.service.Assertions;
import dev.llmtestbench.evaluation.service.Evaluator;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.rest.ApiException.Violation;
import jakarta.enterprise.context.RequestScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Scores one response with assertions, without a run: for CI scripts and ad-hoc checks. */
@Path("/evaluate")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluation")
public class EvaluationResource {

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
    try {
      var assertions = Assertions.compileAll(r.assertions());
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
      return EvaluationView.of(Evaluator.evaluate(assertions, ctx));
    } catch (InvalidAssertionException e) {
      throw ApiException.badRequest(
          e.getMessage(), List.of(new Violation("assertions", e.getMessage())));
    }
  }
}
