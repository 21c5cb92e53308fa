package dev.llmtestbench.monitoring.service;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/** Starts the {@link EventRelay} with the application (EJB startup, like the other start tasks). */
@Startup
@Singleton
@DependsOn("DatabaseMigration")
public class EventRelayStartup {

  @Inject EventRelay relay;

  @PostConstruct
  void start() {
    relay.start();
  }
}
