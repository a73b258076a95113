package io.satsuma.profile.domain;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Per profile and UTC day, the counts and sums of the events each workspace chose (see {@link ProfileSettings}). */
public interface DayBuckets {

    /** Adds one event's contribution to its day bucket. */
    void addToDay(String workspace, String profileId, ProfileSettings.Day contribution);

    /** Adds contributions to day buckets; several for the same profile, day and event are added up. */
    void addToDays(String workspace, Map<String, List<ProfileSettings.Day>> contributionsByProfile);

    /** Replaces all day buckets of the profile (after an unmerge). */
    void replaceDays(String workspace, String profileId, List<ProfileSettings.Day> days);

    List<ProfileSettings.Day> daysOf(String workspace, String profileId, LocalDate from, LocalDate to);

    /** Deletes every workspace's buckets older than its retention (the default's for workspaces without settings). */
    int deleteExpiredDays(int defaultRetentionDays);
}
