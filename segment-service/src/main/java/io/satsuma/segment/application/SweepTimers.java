package io.satsuma.segment.application;

import io.satsuma.segment.domain.MembershipChange;
import io.satsuma.segment.domain.Timers;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Time-driven evaluation: fires every timer that is due, so a membership that flips with the
 * passage of time alone ("no order in the last 30 days") changes within one sweep interval of its
 * boundary, recorded at the boundary itself. Reads only due timers (an index range).
 */
@ApplicationScoped
public class SweepTimers {
    private static final Logger LOG = Logger.getLogger(SweepTimers.class);
    private static final int BATCH = 500;

    private final Timers timers;
    private final EvaluateMembership evaluate;
    private final Clock clock;

    SweepTimers(Timers timers, EvaluateMembership evaluate, Clock clock) {
        this.timers = timers;
        this.evaluate = evaluate;
        this.clock = clock;
    }

    /** Fires due timers until none is left; returns how many fired. */
    public int sweep() {
        int fired = 0;
        while (true) {
            List<Timers.Due> due = timers.due(clock.instant(), BATCH);
            for (Timers.Due timer : due) {
                evaluate.fireTimer(timer.workspace(), timer.profileId(), timer.dueAt());
            }
            fired += due.size();
            if (due.size() < BATCH) {
                break;
            }
        }
        if (fired > 0) {
            LOG.debugf("fired %d membership timers", fired);
        }
        return fired;
    }
}
