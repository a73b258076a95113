package io.satsuma.profile.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.ProfileEventKeys;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.profile.v1.ProfilesUnmerged;
import io.satsuma.profile.domain.CustomerEvent;
import io.satsuma.profile.domain.DayBuckets;
import io.satsuma.profile.domain.EventLog;
import io.satsuma.profile.domain.IdentityGraph;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.MergeJournal;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileState;
import io.satsuma.profile.domain.Profiles;
import io.satsuma.support.outbox.Outbox;
import io.satsuma.support.failure.Conflict;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.failure.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Undoes a merge: the absorbed profile exists again with the identifiers and events it brought (and those
 * of profiles merged into it before), plus the events recorded since through its own identifiers; both
 * profiles' traits, aggregates and day buckets are recomputed from their own events; the two are kept apart from then
 * on (resolution refuses to merge them again); the unmerge is journaled and announced, all in one
 * transaction.
 */
@ApplicationScoped
public class UnmergeProfiles {
    private static final Logger LOG = Logger.getLogger(UnmergeProfiles.class);
    private static final int MAX_REASON = 500;

    private final Profiles profiles;
    private final IdentityGraph graph;
    private final EventLog events;
    private final DayBuckets days;
    private final MergeJournal journal;
    private final Outbox outbox;
    private final ProfileAnnouncements announcements;
    private final ConfigureProfileSettings settings;
    private final Clock clock;

    UnmergeProfiles(Profiles profiles, IdentityGraph graph, EventLog events, DayBuckets days, MergeJournal journal,
                    Outbox outbox, ProfileAnnouncements announcements, ConfigureProfileSettings settings, Clock clock) {
        this.profiles = profiles;
        this.graph = graph;
        this.events = events;
        this.days = days;
        this.journal = journal;
        this.outbox = outbox;
        this.announcements = announcements;
        this.settings = settings;
        this.clock = clock;
    }

    /** Both profiles as they are after the unmerge, and the events that went back. */
    public record Outcome(ProfileState survivor, ProfileState restored, List<String> eventIds) {
    }

    @Transactional
    public Outcome unmerge(String workspace, String survivorId, String restoredId, String reason, String actor) {
        if (restoredId == null || restoredId.isBlank()) {
            throw InvalidInput.of("name the profile to restore", "/profileId",
                    "required: the id of a profile merged into " + survivorId);
        }
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            throw InvalidInput.of("say why the merge was wrong", "/reason",
                    "required: 1 to " + MAX_REASON + " characters, kept in the merge journal");
        }
        // Both rows locked (in id order, as resolution does) before anything is read.
        profiles.lockProfiles(workspace, List.of(survivorId, restoredId));
        ProfileState survivor = profiles.find(workspace, survivorId)
                .orElseThrow(() -> new NotFound("no profile " + survivorId + " in this workspace"));
        ProfileState restored = profiles.find(workspace, restoredId)
                .orElseThrow(() -> new NotFound("no profile " + restoredId + " in this workspace"));
        if (!ProfileState.MERGED.equals(restored.status()) || !survivorId.equals(restored.mergedInto())) {
            throw new Conflict("profile " + restoredId + " is not merged into " + survivorId);
        }
        if (!ProfileState.ACTIVE.equals(survivor.status())) {
            throw new Conflict("profile " + survivorId + " has itself been merged into "
                    + survivor.mergedInto() + ": unmerge it from that profile first");
        }
        Instant now = clock.instant();
        List<String> eventIds = profiles.restore(workspace, survivorId, restoredId,
                profiles.withAbsorbed(workspace, restoredId));
        List<CustomerEvent> survivorEvents = events.eventsOf(workspace, survivorId);
        List<CustomerEvent> restoredEvents = events.eventsOf(workspace, restoredId);
        ProfileState survivorAfter = survivor.recomputed(survivorEvents, now);
        ProfileState restoredAfter = restored.recomputed(restoredEvents, now);
        ProfileSettings chosen = settings.of(workspace);
        days.replaceDays(workspace, survivorId, chosen.fold(survivorEvents, now));
        days.replaceDays(workspace, restoredId, chosen.fold(restoredEvents, now));
        profiles.save(workspace, survivorAfter);
        profiles.save(workspace, restoredAfter);
        graph.keepApart(workspace, survivorId, restoredId, now);
        journal.journal(workspace, new MergeEntry(survivorId, restoredId, MergeEntry.UNMERGED,
                "unmerged by " + actor, reason.trim(), null, null, now));
        outbox.append(Topic.PROFILE_EVENTS.topicName(), ProfileEventKeys.marker(survivorId),
                CloudEvents.TYPE_PROFILES_UNMERGED, workspace, now,
                new ProfilesUnmerged(survivorId, restoredId, eventIds, now));
        announcements.publishSnapshot(workspace, survivorAfter);
        announcements.publishSnapshot(workspace, restoredAfter);
        LOG.infof("unmerged profile %s from %s in workspace %s (%d events back)", restoredId, survivorId, workspace,
                eventIds.size());
        return new Outcome(survivorAfter, restoredAfter, eventIds);
    }
}
