package dev.llmtestbench.evaluation.service;

import dev.llmtestbench.evaluation.spi.AssertionTypeProvider;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/** Installs the custom assertion types of every {@link AssertionTypeProvider} bean at start. */
@Singleton
@Startup
public class AssertionExtensionLoader {

  private static final Logger LOG = Logger.getLogger(AssertionExtensionLoader.class.getName());

  @Inject @Any Instance<AssertionTypeProvider> providers;

  @PostConstruct
  void install() {
    AssertionExtensions.install(providers.stream().toList());
    if (!AssertionExtensions.types().isEmpty()) {
      LOG.info("Custom assertion types: " + AssertionExtensions.types());
    }
  }
}
