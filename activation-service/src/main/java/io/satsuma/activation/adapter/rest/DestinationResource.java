package io.satsuma.activation.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.satsuma.activation.application.ManageDestinations;
import io.satsuma.activation.domain.Destination;
import io.satsuma.support.problem.ProblemException;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Destinations: the channels a workspace syncs to, with typed configuration and encrypted secrets. */
@Path("/v1/destinations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed("admin")
@Tag(name = "Destinations", description = "Channels segments are synced to: ad audiences, email lists, SMS, push, webhooks")
public class DestinationResource {
    private final ManageDestinations destinations;
    private final CurrentWorkspace workspace;

    DestinationResource(ManageDestinations destinations, CurrentWorkspace workspace) {
        this.destinations = destinations;
        this.workspace = workspace;
    }

    @Schema(name = "DestinationRequest", description = "A new destination. `config` and `secrets` depend on `type` "
            + "(see the activation-service README); `url` and `secret` are webhook shorthands for `config.url` and "
            + "`secrets.signingSecret`.")
    public record DestinationRequest(
            @Schema(example = "Meta: lapsed buyers") String name,
            @Schema(description = "webhook, meta_custom_audience, google_customer_match, klaviyo_list, "
                    + "mailchimp_audience, twilio_sms or fcm_push", example = "meta_custom_audience") String type,
            @Schema(description = "plain settings of the type (ids, base URL, rate)") Map<String, String> config,
            @Schema(description = "credentials of the type, encrypted at rest, never returned") Map<String, String> secrets,
            @Schema(description = "webhook shorthand for config.url") String url,
            @Schema(description = "webhook shorthand for secrets.signingSecret") String secret) {
    }

    /** A destination; {@code secret} only in the answer that created a webhook. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Destination", description = "A destination, without its secrets (a webhook's signing secret is in "
            + "the answer that created it only)")
    public record DestinationResponse(String id, String name, String type, String channel, Map<String, String> config,
                                      Instant createdAt, String secret) {
        static DestinationResponse from(Destination d, String secret) {
            return new DestinationResponse(d.id(), d.name(), d.type().id(),
                    d.type().channel().name().toLowerCase(Locale.ROOT), d.config(), d.createdAt(), secret);
        }
    }

    @POST
    @Operation(operationId = "createDestination", summary = "Create a destination",
            description = "Checks the configuration and secrets against the type (every problem named with a JSON "
                    + "pointer), encrypts the secrets and stores the destination. `POST /v1/destinations/{id}/test` "
                    + "then proves the credentials.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = DestinationRequest.class),
            examples = {
                    @ExampleObject(name = "meta", value = "{\"name\": \"Meta: lapsed buyers\", \"type\": "
                            + "\"meta_custom_audience\", \"config\": {\"audienceId\": \"23850000000000000\"}, "
                            + "\"secrets\": {\"accessToken\": \"EAAB...\"}}"),
                    @ExampleObject(name = "twilio", value = "{\"name\": \"SMS\", \"type\": \"twilio_sms\", \"config\": "
                            + "{\"accountSid\": \"AC00000000000000000000000000000000\", \"from\": \"+15005550006\"}, "
                            + "\"secrets\": {\"authToken\": \"0123456789abcdef0123456789abcdef\"}}"),
                    @ExampleObject(name = "webhook", value = "{\"name\": \"crm\", \"type\": \"webhook\", "
                            + "\"url\": \"https://crm.example.com/hooks/satsuma\"}")}))
    @APIResponse(responseCode = "201", description = "the destination (a webhook's signing secret included, this once)",
            content = @Content(schema = @Schema(implementation = DestinationResponse.class)))
    @APIResponse(responseCode = "400", description = "the type is unknown or a setting is missing or malformed; `errors` "
            + "names each with a pointer such as `/config/audienceId` or `/secrets/accessToken`")
    public Response create(DestinationRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a destination is required: {name, type, config, secrets}");
        }
        Map<String, String> config = new LinkedHashMap<>(request.config() == null ? Map.of() : request.config());
        Map<String, String> secrets = new LinkedHashMap<>(request.secrets() == null ? Map.of() : request.secrets());
        if (request.url() != null) {
            config.putIfAbsent("url", request.url());
        }
        if (request.secret() != null) {
            secrets.putIfAbsent("signingSecret", request.secret());
        }
        String type = request.type() == null ? "webhook" : request.type();
        var created = destinations.create(workspace.id(), request.name(), type, config, secrets);
        String shown = created.generatedSecret() != null ? created.generatedSecret() : secrets.get("signingSecret");
        return Response.status(201).entity(DestinationResponse.from(created.destination(), shown)).build();
    }

    @GET
    @Operation(operationId = "listDestinations", summary = "List the destinations", description = "Without secrets.")
    @APIResponse(responseCode = "200", description = "the destinations",
            content = @Content(schema = @Schema(implementation = DestinationResponse.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "401", description = "no valid bearer token")
    public List<DestinationResponse> list() {
        return destinations.list(workspace.id()).stream().map(d -> DestinationResponse.from(d, null)).toList();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getDestination", summary = "Get a destination", description = "Without secrets.")
    @APIResponse(responseCode = "200", description = "the destination",
            content = @Content(schema = @Schema(implementation = DestinationResponse.class)))
    @APIResponse(responseCode = "404", description = "no such destination in the workspace")
    public DestinationResponse get(@Parameter(description = "destination id") @PathParam("id") String id) {
        return DestinationResponse.from(destinations.get(workspace.id(), id), null);
    }

    @Schema(name = "SecretsRequest", description = "All the secrets of the destination's type")
    public record SecretsRequest(Map<String, String> secrets) {
    }

    @Schema(name = "SecretsReplaced", description = "How many syncs the old credentials had paused and now resumed")
    public record SecretsReplaced(String destinationId, int resumedSyncs) {
    }

    @PUT
    @Path("{id}/secrets")
    @Operation(operationId = "replaceDestinationSecrets", summary = "Replace a destination's secrets",
            description = "For a rotated or expired credential: the new secrets replace all the old ones, and the syncs "
                    + "paused because the destination refused the old ones resume.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SecretsRequest.class)))
    @APIResponse(responseCode = "200", description = "replaced",
            content = @Content(schema = @Schema(implementation = SecretsReplaced.class)))
    @APIResponse(responseCode = "400", description = "a secret is missing or malformed")
    @APIResponse(responseCode = "404", description = "no such destination in the workspace")
    public SecretsReplaced replaceSecrets(@Parameter(description = "destination id") @PathParam("id") String id,
                                          SecretsRequest request) {
        return new SecretsReplaced(id, destinations.replaceSecrets(workspace.id(), id,
                request == null ? null : request.secrets()));
    }

    @Schema(name = "DestinationTest", description = "What a harmless call with the destination's credentials found")
    public record TestResponse(boolean ok, @Schema(description = "OK, UNAUTHORIZED, UNAVAILABLE or REJECTED") String outcome,
                               String detail) {
    }

    @POST
    @Path("{id}/test")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "testDestination", summary = "Test a destination's credentials",
            description = "Reads the audience or list (Meta, Klaviyo, Mailchimp), the account (Twilio), obtains an OAuth "
                    + "token (Google, FCM) or posts a signed `ping` (webhooks). Nothing is added or sent.")
    @APIResponse(responseCode = "200", description = "the outcome (`ok` false says why)",
            content = @Content(schema = @Schema(implementation = TestResponse.class)))
    @APIResponse(responseCode = "404", description = "no such destination in the workspace")
    public TestResponse test(@Parameter(description = "destination id") @PathParam("id") String id) {
        var result = destinations.test(workspace.id(), id);
        return new TestResponse(result.ok(), result.outcome(), result.detail());
    }
}
