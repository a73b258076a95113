package io.satsuma.profile.adapter.rest;

import io.satsuma.profile.application.FindProfiles;
import io.satsuma.profile.application.UnmergeProfiles;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.support.workspace.CurrentWorkspace;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The single customer view. */
@Path("/v1/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({"admin", "analyst"})
@Tag(name = "Profiles", description = "The single customer view: identifiers, traits, aggregates, day buckets, merges")
public class ProfileResource {
    private static final String PROFILE_EXAMPLE = """
            {"id": "0b7c2f1e-5d3a-4c8e-9f10-2a6b4d8e1c37", "status": "ACTIVE", "version": 4,
             "identifiers": [{"type": "email", "value": "ann@example.com"}, {"type": "user_id", "value": "ann-42"}],
             "traits": {"email": "ann@example.com", "name": "Ann Example"},
             "aggregates": {"eventCount": 4, "orderCount": 1, "totalRevenue": 59.9, "lastOrderAt": "2026-11-29T10:00:00Z"}}""";

    private final FindProfiles profiles;
    private final UnmergeProfiles unmerge;
    private final CurrentWorkspace workspace;
    private final JsonWebToken caller;
    private final Clock clock;

    ProfileResource(FindProfiles profiles, UnmergeProfiles unmerge,
                    CurrentWorkspace workspace, JsonWebToken caller, Clock clock) {
        this.clock = clock;
        this.profiles = profiles;
        this.unmerge = unmerge;
        this.workspace = workspace;
        this.caller = caller;
    }

    /** @param profileId the profile merged into this one that should exist again; reason is journaled */
    @Schema(name = "UnmergeRequest", description = "Which merged profile to restore, and why")
    public record UnmergeRequest(@Schema(description = "a profile merged into this one") String profileId,
                                 @Schema(description = "kept in the merge journal, 1 to 500 characters",
                                         example = "two people shared a family tablet") String reason) {
    }

    /** Both profiles after the unmerge, and the events that went back to the restored one. */
    @Schema(name = "Unmerge", description = "Both profiles after the unmerge, and the events that went back")
    public record UnmergeResponse(ProfileResponse survivor, ProfileResponse restored, List<String> eventIds) {
    }

    /**
     * Undoes the merge of {@code profileId} into this profile: it exists again with its own identifiers and
     * events, both profiles' traits and aggregates are recomputed, and the two are never merged again.
     */
    @POST
    @Path("{id}/unmerge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(operationId = "unmergeProfile", summary = "Undo a merge",
            description = "The merged profile exists again with the identifiers and events it brought (and those recorded "
                    + "since through them); both profiles' traits, aggregates and day buckets are recomputed; the two are "
                    + "never merged again; the unmerge is journaled and published.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = UnmergeRequest.class)))
    @APIResponse(responseCode = "200", description = "both profiles", content = @Content(schema = @Schema(implementation = UnmergeResponse.class)))
    @APIResponse(responseCode = "400", description = "`profileId` or `reason` missing")
    @APIResponse(responseCode = "404", description = "either profile is not in the workspace")
    @APIResponse(responseCode = "409", description = "it is not merged into this profile, or this one was itself merged")
    public UnmergeResponse unmerge(@Parameter(description = "the surviving profile") @PathParam("id") String id,
                                   UnmergeRequest request) {
        String ws = workspace.id();
        var outcome = unmerge.unmerge(ws, id, request == null ? null : request.profileId(),
                request == null ? null : request.reason(), caller.getName());
        return new UnmergeResponse(ProfileResponse.from(profiles.byId(ws, outcome.survivor().id())),
                ProfileResponse.from(profiles.byId(ws, outcome.restored().id())), outcome.eventIds());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getProfile", summary = "Read a profile",
            description = "Identifiers, traits (private ones included), the behavioural aggregates and the status.")
    @APIResponse(responseCode = "200", description = "the profile", content = @Content(schema = @Schema(implementation = ProfileResponse.class),
            examples = @ExampleObject(name = "buyer", value = PROFILE_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "no such profile in the workspace")
    public ProfileResponse byId(@Parameter(description = "profile id") @PathParam("id") String id) {
        return ProfileResponse.from(profiles.byId(workspace.id(), id));
    }

    /** Look-up by any identifier, e.g. {@code ?type=email&value=ann@example.com}. */
    @GET
    @Path("lookup")
    @Operation(operationId = "lookupProfile", summary = "Find a profile by an identifier",
            description = "The profile holding the identifier (emails match case-insensitively).")
    @APIResponse(responseCode = "200", description = "the profile", content = @Content(schema = @Schema(implementation = ProfileResponse.class),
            examples = @ExampleObject(name = "buyer", value = PROFILE_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "`type` or `value` missing")
    @APIResponse(responseCode = "404", description = "no profile holds it in the workspace")
    public ProfileResponse byIdentifier(
            @Parameter(description = "identifier type: user_id, anonymous_id, email, …", example = "email") @QueryParam("type") String type,
            @Parameter(description = "identifier value", example = "ann@example.com") @QueryParam("value") String value) {
        return ProfileResponse.from(profiles.byIdentifier(workspace.id(), type, value));
    }

    /** Day buckets (UTC days; the workspace's profile settings choose which events): {@code ?from=&to=}. */
    @GET
    @Path("{id}/days")
    @Operation(operationId = "profileDays", summary = "Day buckets of a profile",
            description = "Per UTC day, the count (and summed property) of each event the workspace buckets; the last 30 "
                    + "days unless `from`/`to` say otherwise (at most 3,660 days).")
    @APIResponse(responseCode = "200", description = "the days", content = @Content(
            schema = @Schema(implementation = ProfileSettings.Day.class, type = SchemaType.ARRAY), examples = @ExampleObject(name = "days",
            value = "[{\"day\": \"2026-11-29\", \"event\": \"Order Completed\", \"count\": 1, \"sum\": 42.5}]")))
    @APIResponse(responseCode = "400", description = "a date is not ISO (2026-11-29), or the range is reversed or too long")
    @APIResponse(responseCode = "404", description = "no such profile in the workspace")
    public List<ProfileSettings.Day> days(@Parameter(description = "profile id") @PathParam("id") String id,
                                          @Parameter(description = "first day, ISO", example = "2026-11-01") @QueryParam("from") String from,
                                          @Parameter(description = "last day, ISO", example = "2026-11-30") @QueryParam("to") String to) {
        return profiles.days(workspace.id(), id, from, to, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    @GET
    @Path("{id}/merges")
    @Operation(operationId = "profileMerges", summary = "Merge journal of a profile",
            description = "Merges, refused merges (with the rule that refused them) and unmerges (who and why) naming it.")
    @APIResponse(responseCode = "200", description = "the journal entries, oldest first",
            content = @Content(schema = @Schema(implementation = MergeEntry.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "no such profile in the workspace")
    public List<MergeEntry> merges(@Parameter(description = "profile id") @PathParam("id") String id) {
        return profiles.merges(workspace.id(), id);
    }
}
