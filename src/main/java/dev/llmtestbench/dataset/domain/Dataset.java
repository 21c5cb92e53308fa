package dev.llmtestbench.dataset.domain;

import dev.llmtestbench.evaluation.domain.AssertionSpec;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A named set of test cases with an optional prompt template and assertions for every case, and the
 * targets it suggests for runs that name none; who owns it and with whom it is shared ({@link
 * Sharing}).
 */
public record Dataset(
    UUID id,
    long seq,
    String name,
    String description,
    String promptTemplate,
    List<AssertionSpec> assertions,
    List<String> tags,
    Map<String, Object> metadata,
    int testCaseCount,
    OffsetDateTime createdAt,
    List<SuggestedTarget> targets,
    Sharing sharing) {

  public Dataset {
    targets = targets == null ? List.of() : List.copyOf(targets);
    sharing = sharing == null ? Sharing.NONE : sharing;
  }

  /**
   * Who may read a dataset besides admins: its owner (the creator's owner key, null for datasets
   * loaded by the server or created before ownership), the members of {@code group}, and everyone
   * signed in when {@code all} (the sample datasets).
   */
  public record Sharing(String owner, String group, boolean all) {

    /** Owned by nobody and shared with nobody: admins alone see it. */
    public static final Sharing NONE = new Sharing(null, null, false);

    /** Read by every signed-in caller, changed by admins alone (the sample datasets). */
    public static final Sharing EVERYONE = new Sharing(null, null, true);
  }
}
