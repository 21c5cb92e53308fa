package it.support;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.UUID;

/** Test data each test creates for itself. */
public final class Fixtures {

  private Fixtures() {}

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A dataset of "What is i + i*2?" cases scored by numeric-answer, created by the bootstrap admin
   * and shared with every signed-in caller (so tests of other identities may run it; OwnershipIT
   * tests private datasets); returns its id.
   */
  public static String sumDataset(int cases) {
    JsonArrayBuilder tcs = Json.createArrayBuilder();
    for (int i = 1; i <= cases; i++) {
      tcs.add(
          Json.createObjectBuilder()
              .add("id", "sum-" + i)
              .add("vars", Json.createObjectBuilder().add("a", i).add("b", i * 2))
              .add("expected", "#### " + (i + i * 2)));
    }
    JsonObject body =
        Json.createObjectBuilder()
            .add("name", unique("sums"))
            .add("promptTemplate", "What is {{a}} + {{b}}? End with '#### <number>'.")
            .add(
                "assertions",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("type", "numeric-answer")))
            .add("testCases", tcs)
            .add("sharedWithAll", true)
            .build();
    Api.Res res = Api.post("/datasets", body.toString());
    if (res.status() != 201) {
      throw new AssertionError("Dataset not created: " + res);
    }
    return res.json().getString("id");
  }

  /** Registers the stub as an OpenAI-compatible provider; returns its name. */
  public static String registerStub(OpenAiStub stub, String apiKeyEnv) {
    String name = unique("stub");
    var b =
        Json.createObjectBuilder()
            .add("name", name)
            .add("adapter", "openai")
            .add("baseUrl", stub.baseUrl())
            .add(
                "models",
                Json.createArrayBuilder().add("good").add("bad").add("slow").add("flaky"));
    if (apiKeyEnv != null) {
      b.add("apiKeyEnv", apiKeyEnv);
    }
    Api.Res res = Api.post("/providers", b.build().toString());
    if (res.status() != 201) {
      throw new AssertionError("Provider not registered: " + res);
    }
    return name;
  }

  /**
   * Starts a run of a dataset on one provider/model with one partition and the response cache off;
   * {@code settings} are more request fields, e.g. {@code "concurrency":2}. Returns the answer.
   */
  public static Api.Res startRun(String provider, String model, String datasetId, String settings) {
    return Api.post(
        "/benchmarks",
        "{\"datasetId\":\""
            + datasetId
            + "\",\"targets\":[{\"provider\":\""
            + provider
            + "\",\"model\":\""
            + model
            + "\"}],\"partitions\":1,\"cache\":false"
            + (settings.isEmpty() ? "" : "," + settings)
            + "}");
  }

  /**
   * Runs a dataset on the built-in simulator ({@code echo}) as {@code as}, in {@code partitions}
   * partitions with the response cache off, waits until it has completed and returns the run.
   */
  public static jakarta.json.JsonObject completedSimulatorRun(
      Api.Client as, String datasetId, int partitions) {
    Api.Res created =
        as.post(
            Api.API + "/benchmarks",
            "{\"datasetId\":\""
                + datasetId
                + "\",\"targets\":[{\"provider\":\"simulator\",\"model\":\"echo\"}],"
                + "\"partitions\":"
                + partitions
                + ",\"cache\":false}");
    if (created.status() != 202) {
      throw new AssertionError("Run not started: " + created);
    }
    jakarta.json.JsonObject run =
        Api.awaitRunEnd(created.json().getString("id"), java.time.Duration.ofMinutes(2));
    if (!"completed".equals(run.getString("status"))) {
      throw new AssertionError("Run did not complete: " + run);
    }
    return run;
  }
}
