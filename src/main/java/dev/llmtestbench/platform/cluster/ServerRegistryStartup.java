package dev.llmtestbench.platform.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/**
 * Registers this server when the application starts and removes it when it stops (an EJB startup
 * singleton, so it stops before the database it depends on).
 */
@Startup
@Singleton
@DependsOn("DatabaseMigration")
public class ServerRegistryStartup {

  @Inject ServerRegistry registry;

  @PostConstruct
  void start() {
    registry.start();
  }

  @PreDestroy
  void stop() {
    registry.stop();
  }
}
