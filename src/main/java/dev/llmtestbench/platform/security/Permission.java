package dev.llmtestbench.platform.security;

/** The seeds' permissions; each REST, GraphQL and WebSocket operation requires one of them. */
public enum Permission {
  RUN_BENCHMARK,
  VIEW_RESULTS,
  MANAGE_PROVIDERS,
  MANAGE_PLUGINS,
  MANAGE_USERS,
  ADMIN_ACCESS
}
