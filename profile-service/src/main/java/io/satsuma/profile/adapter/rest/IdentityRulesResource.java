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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The workspace's identity rules: per identifier type, how many a profile may hold and its priority; blocked values. */
@Path("/v1/identity-rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Identity rules", description = "How identity resolution treats each identifier type in the workspace")
public class IdentityRulesResource {
    private final ConfigureIdentityRules rules;
    private final CurrentWorkspace workspace;

    IdentityRulesResource(ConfigureIdentityRules rules, CurrentWorkspace workspace) {
        this.rules = rules;
        this.workspace = workspace;
    }

    @Schema(name = "IdentityRulesRequest", description = "The workspace's rules: user_id, email and anonymous_id are "
            + "required; phone, device_token, advertising_id and phone_unparsed keep their defaults unless given; "
            + "defaultPhoneRegion (ISO 3166-1 alpha-2, optional) reads numbers written without a country code")
    public record RulesRequest(Map<String, ConfigureIdentityRules.TypeRuleRequest> types, List<String> blockedValues,
                               String defaultPhoneRegion) {
    }

    private static final String RULES_EXAMPLE = """
            {"types": {"user_id": {"limit": 1, "priority": 300, "login": true},
                       "email": {"limit": 5, "priority": 200},
                       "phone": {"limit": 3, "priority": 150},
                       "anonymous_id": {"limit": 2147483647, "priority": 100},
                       "device_token": {"limit": 20, "priority": 50, "unique": false}},
             "blockedValues": ["null", "undefined", "anonymous"],
             "defaultPhoneRegion": "GB"}""";

    @GET
    @Operation(operationId = "getIdentityRules", summary = "The workspace's identity rules",
            description = "Per identifier type: limit per profile, priority, unique and login flags; and the blocked "
                    + "values. The defaults until an admin saves rules of the workspace's own.")
    @APIResponse(responseCode = "200", description = "the rules in force", content = @Content(
            schema = @Schema(implementation = IdentityRules.class), examples = @ExampleObject(name = "defaults", value = RULES_EXAMPLE)))
    public IdentityRules get() {
        return rules.of(workspace.id());
    }

    /** Replaces the rules (per identifier type, the blocked values, the default phone region) from now on. */
    @PUT
    @Operation(operationId = "replaceIdentityRules", summary = "Replace the identity rules",
            description = "Applies to resolutions from now on (other instances within 30 s); profiles already merged stay "
                    + "merged.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RulesRequest.class),
            examples = @ExampleObject(name = "defaults", value = RULES_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "the rules as saved",
            content = @Content(schema = @Schema(implementation = IdentityRules.class)))
    @APIResponse(responseCode = "400", description = "a type is missing or unknown, a limit or priority out of range")
    public IdentityRules replace(RulesRequest request) {
        return rules.replace(workspace.id(), request == null ? null : request.types(),
                request == null ? null : request.blockedValues(), request == null ? null : request.defaultPhoneRegion());
    }
}
