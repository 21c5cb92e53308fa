package dev.llmtestbench.platform.settings;

import dev.llmtestbench.platform.security.Permission;
import dev.llmtestbench.platform.security.RequiresPermission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The server-wide settings (administrators only), as GraphQL settings/updateSettings. */
@Path("/settings")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Settings")
public class SettingsResource {

  @Inject SettingsService settings;

  @RequiresPermission(Permission.ADMIN_ACCESS)
  @GET
  @Operation(summary = "The server-wide settings in effect, each stored or its config default")
  public ServerSettings get() {
    return settings.current();
  }

  @RequiresPermission(Permission.ADMIN_ACCESS)
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Store settings: null leaves one as it is, reset names those that fall back to their"
              + " config default; an invalid value stores nothing (400 with every violation)")
  public ServerSettings put(SettingsUpdate update) {
    return settings.update(update == null ? new SettingsUpdate(null, null, null, null) : update);
  }
}
