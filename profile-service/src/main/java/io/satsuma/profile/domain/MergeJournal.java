package io.satsuma.profile.domain;

import java.util.List;

/** What identity resolution and operators did to profiles: merges, refused merges, unmerges. */
public interface MergeJournal {

    void journal(String workspace, MergeEntry entry);

    /** Several entries, in this order. */
    void journalAll(String workspace, List<MergeEntry> entries);

    /** The entries naming the profile, as survivor or absorbed, oldest first. */
    List<MergeEntry> mergesOf(String workspace, String profileId);
}
