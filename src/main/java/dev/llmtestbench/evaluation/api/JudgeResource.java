package dev.llmtestbench.evaluation.api;

import dev.llmtestbench.evaluation.service.EvaluationCache;
import dev.llmtestbench.evaluation.service.JudgePrompt;
import dev.llmtestbench.evaluation.service.JudgePrompts;
import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What LLM-as-judge grading uses, for inspection: the versioned judge prompts and the cache. */
@Path("/evaluation")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluation")
public class JudgeResource {

  @Inject EvaluationCache cache;

  @Inject
  @ConfigProperty(name = "ltb.evaluation.judge.provider")
  Optional<String> defaultJudge;

  /** The judge prompt catalog and the default judge. */
  public record Judges(String defaultJudge, List<JudgePrompt> prompts) {}

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Path("/judges")
  @Operation(
      summary = "List judge prompts",
      description =
          "Every built-in judge prompt with its version, system and user templates and the JSON"
              + " Schema its answers must match, and the configured default judge (null when"
              + " none).")
  public Judges judges() {
    return new Judges(defaultJudge.orElse(null), JudgePrompts.all());
  }

  @RequiresPermission(Permission.VIEW_RESULTS)
  @GET
  @Path("/cache")
  @Operation(
      summary = "Evaluation cache statistics",
      description =
          "Live entries and stored hits (all servers), and this server's hits, misses and hit rate"
              + " since it started.")
  public EvaluationCache.Stats cache() {
    return cache.stats();
  }

  @RequiresPermission(Permission.ADMIN_ACCESS)
  @DELETE
  @Path("/cache")
  @Operation(
      summary = "Clear the evaluation cache",
      description = "Deletes every cached verdict, so the next evaluations call their judges.")
  public Map<String, Integer> clear() {
    return Map.of("deleted", cache.clear());
  }
}
