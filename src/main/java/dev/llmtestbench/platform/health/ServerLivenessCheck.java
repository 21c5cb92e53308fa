package dev.llmtestbench.platform.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the JVM has heap to work with; a wedged server is restarted by its orchestrator. */
@Liveness
@ApplicationScoped
public class ServerLivenessCheck implements HealthCheck {

  @Override
  public HealthCheckResponse call() {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    boolean ok = used < rt.maxMemory() * 0.95;
    return HealthCheckResponse.named("heap")
        .status(ok)
        .withData("usedBytes", used)
        .withData("maxBytes", rt.maxMemory())
        .build();
  }
}
