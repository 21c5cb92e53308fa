package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.dataset.domain.PromptTemplate;
import java.util.Map;

/**
 * One versioned judge prompt: a system message, a user message template with {@code {{name}}}
 * placeholders, and the JSON Schema the judge's answer must match. Built-in prompts are resources
 * under {@code judge-prompts/}; a {@code rubricPrompt} option replaces the user message and gets
 * its own version, {@code custom-<hash>}.
 *
 * @param id the prompt's name, e.g. {@code llm-rubric}
 * @param version its version, part of every result's reason and of the evaluation cache key
 * @param description what the prompt asks, for the catalog
 * @param system the system message template
 * @param user the user message template
 * @param schema the JSON Schema (as text) the answer must match; sent as the response format where
 *     the judge supports one
 */
public record JudgePrompt(
    String id, String version, String description, String system, String user, String schema) {

  /** The prompt's name and version, as reported: {@code llm-rubric@1}. */
  public String label() {
    return id + "@" + version;
  }

  /** The system message, rendered. */
  String renderSystem(Map<String, Object> values) {
    return PromptTemplate.of(system).render(values);
  }

  /** The user message, rendered. */
  String renderUser(Map<String, Object> values) {
    return PromptTemplate.of(user).render(values);
  }

  /** The same prompt with another user message, versioned by a hash of its text. */
  JudgePrompt withUser(String template) {
    return new JudgePrompt(
        id,
        "custom-" + JudgeKeys.sha256(template).substring(0, 12),
        description,
        system,
        template,
        schema);
  }
}
