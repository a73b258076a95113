package io.satsuma.segment.application;

import io.satsuma.segment.domain.MembershipChange;
import io.satsuma.segment.domain.ProfileStates;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Evaluates every known profile of a workspace after a segment was created or edited, in the
 * background, one transaction per profile. Changes are published like any other.
 */
@ApplicationScoped
public class BackfillSegment {
    private static final Logger LOG = Logger.getLogger(BackfillSegment.class);
    private static final int PAGE = 500;

    private final ProfileStates states;
    private final EvaluateMembership evaluate;
    private final QueryMemberships queries;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "segment-backfill");
        t.setDaemon(true);
        return t;
    });

    BackfillSegment(ProfileStates states, EvaluateMembership evaluate, QueryMemberships queries) {
        this.states = states;
        this.evaluate = evaluate;
        this.queries = queries;
    }

    public void start(String workspace, String segmentId) {
        queries.forgetCatalog(workspace);
        executor.submit(() -> run(workspace, segmentId));
    }

    private void run(String workspace, String segmentId) {
        long started = System.nanoTime();
        int evaluated = 0;
        int changed = 0;
        String after = "";
        try {
            while (true) {
                List<String> page = states.profileIds(workspace, after, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                for (String profileId : page) {
                    List<MembershipChange> changes = evaluate.evaluateAlone(workspace, profileId, "backfill of " + segmentId);
                    if (!changes.isEmpty()) {
                        queries.refresh(workspace, List.of(profileId));
                        changed++;
                    }
                    evaluated++;
                }
                after = page.get(page.size() - 1);
            }
            LOG.infof("backfill of segment %s: %d profiles evaluated, %d changed, in %d ms", segmentId, evaluated,
                    changed, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.errorf(e, "backfill of segment %s stopped after %d profiles", segmentId, evaluated);
        }
    }
}
