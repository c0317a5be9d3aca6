package dev.herald.diagnostics.boundary;

import dev.herald.platform.control.JsonBody;
import dev.herald.diagnostics.control.Doctor;
import dev.herald.diagnostics.entity.Check;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The VAPID doctor (admin token): every check, and the worst status of them. */
@Path("diagnostics")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DiagnosticsResource {

    @Inject
    Doctor doctor;

    @GET
    public JsonObject diagnose() {
        var checks = doctor.checks();
        var list = JsonBody.array();
        checks.stream().map(Check::toJson).forEach(list::add);
        return JsonBody.object().add("status", Doctor.worst(checks).word()).add("checks", list).build();
    }
}
