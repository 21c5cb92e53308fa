package dev.llmtestbench.platform.security;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * At start: loads (or generates) the token-signing key, and creates the first admin from {@code
 * admin.user} / {@code admin.password} (the same identity as the Admin Center's) when the database
 * has no active admin. The default password is for development only and must be changed.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigration")
@TransactionManagement(TransactionManagementType.BEAN)
public class AuthStartup {

  static final String DEV_PASSWORD = "admin-dev-only";
  private static final Logger LOG = Logger.getLogger(AuthStartup.class.getName());

  @Inject Accounts accounts;
  @Inject ServerTokens tokens;

  @PostConstruct
  void start() {
    tokens.publicKeys();
    if (accounts.anyAdmin()) {
      return;
    }
    String username = AuthSettings.get("admin.user", "admin");
    String password = AuthSettings.get("admin.password", DEV_PASSWORD);
    if (accounts.create(UUID.randomUUID(), username, null, password, Role.ADMIN)) {
      LOG.info(() -> "Created the first admin account '" + username + "' from admin.user");
    }
    if (DEV_PASSWORD.equals(password)) {
      LOG.warning(
          "The admin account uses the development-only default password: set ADMIN_PASSWORD"
              + " before the first start, or change it (PATCH /api/v1/users/{id}).");
    }
  }
}
