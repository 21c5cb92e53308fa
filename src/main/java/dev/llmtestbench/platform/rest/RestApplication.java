package dev.llmtestbench.platform.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;

/** The REST API root: every resource lives under {@code /api/v1}. */
@ApplicationPath("/api/v1")
@OpenAPIDefinition(
    info =
        @Info(
            title = "LLM Test Bench API",
            version = "1",
            description =
                "Benchmark LLM providers and models: datasets, runs, results and providers. Errors"
                    + " are application/problem+json (RFC 9457).",
            license = @License(name = "Apache-2.0", identifier = "Apache-2.0")))
public class RestApplication extends Application {}
