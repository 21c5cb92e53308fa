package dev.llmtestbench.platform.cluster;

import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The servers sharing this database, from their heartbeats. */
@Path("/servers")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Servers")
public class ServerResource {

  @Inject ServerRegistry registry;

  @RequiresPermission(Permission.ADMIN_ACCESS)
  @GET
  @Operation(summary = "List the registered servers, live or not, with their roles and heartbeats")
  public List<ServerInfo> list() {
    return registry.servers();
  }
}
