package io.satsuma.profile.adapter.rest;

import io.satsuma.profile.application.ConfigureIdentityRules;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The workspace's identity rules: per identifier type, how many a profile may hold and its priority; blocked values. */
@Path("/v1/identity-rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Identity rules")
@SecurityRequirement(name = "bearer")
public class IdentityRulesResource {
    private final ConfigureIdentityRules rules;
    private final CurrentWorkspace workspace;

    IdentityRulesResource(ConfigureIdentityRules rules, CurrentWorkspace workspace) {
        this.rules = rules;
        this.workspace = workspace;
    }

    public record RulesRequest(Map<String, ConfigureIdentityRules.TypeRuleRequest> types, List<String> blockedValues) {
    }

    @GET
    public IdentityRules get() {
        return rules.of(workspace.id());
    }

    /** Replaces the rules (all three identifier types, and the blocked values) for resolutions from now on. */
    @PUT
    public IdentityRules replace(RulesRequest request) {
        return rules.replace(workspace.id(), request == null ? null : request.types(),
                request == null ? null : request.blockedValues());
    }
}
