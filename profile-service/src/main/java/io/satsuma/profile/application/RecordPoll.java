package io.satsuma.profile.application;

import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.ProfileCommand;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * A poll of {@code satsuma.events.v1} in one transaction: runs of ingested events go to {@link RecordBatch}, the
 * channels' commands between them to {@link ApplyProfileCommands}, in arrival order.
 */
@ApplicationScoped
public class RecordPoll {
    private final RecordBatch batch;
    private final ApplyProfileCommands commands;

    RecordPoll(RecordBatch batch, ApplyProfileCommands commands) {
        this.batch = batch;
        this.commands = commands;
    }

    /** A record of the events topic: an ingested event or a command, with its workspace. */
    public sealed interface Incoming {
        String workspace();
    }

    public record Event(String workspace, IngestedEvent event) implements Incoming {
    }

    public record Command(String workspace, ProfileCommand command) implements Incoming {
    }

    @Transactional
    public void record(List<Incoming> poll) {
        List<RecordBatch.Ingested> run = new ArrayList<>();
        for (Incoming incoming : poll) {
            if (incoming instanceof Event e) {
                run.add(new RecordBatch.Ingested(e.workspace(), e.event()));
            } else if (incoming instanceof Command c) {
                flush(run);
                commands.apply(c.workspace(), c.command());
            }
        }
        flush(run);
    }

    private void flush(List<RecordBatch.Ingested> run) {
        if (!run.isEmpty()) {
            batch.recordAll(List.copyOf(run));
            run.clear();
        }
    }
}
