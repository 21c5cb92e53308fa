package dev.llmtestbench.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HttpGuardFilterPathTest {

  @Test
  void shouldJoinServletPathAndPathInfo() {
    assertEquals("/api/v1/benchmarks/x", HttpGuardFilter.pathOf("/api", "/v1/benchmarks/x"));
    assertEquals("/health/ready", HttpGuardFilter.pathOf("/health/ready", null));
    assertEquals("/", HttpGuardFilter.pathOf("", null));
    assertEquals("/", HttpGuardFilter.pathOf(null, null));
  }

  @Test
  void shouldCollapseRepeatedSlashesSoARouteCannotBeDodged() {
    assertEquals("/api/v1/benchmarks", HttpGuardFilter.pathOf("/api", "//v1///benchmarks"));
    assertEquals(
        "/api/v1/datasets/import", HttpGuardFilter.pathOf("//api/v1", "/datasets//import"));
  }
}
