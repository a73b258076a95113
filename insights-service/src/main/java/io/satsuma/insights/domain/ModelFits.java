package io.satsuma.insights.domain;

import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.GammaGamma;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** The fits of the workspaces' predictive models, and the order history they are fitted to. */
public interface ModelFits {
    /** Records a PENDING fit with the workspace's next version; within a transaction (requests take versions in turn). */
    ModelFit request(String id, String workspace, LocalDate calibrationEnd, int unitDays, Instant at);

    /** Ids of fits waiting for a runner, and of fits whose runner went quiet before {@code staleBefore} (crashed). */
    List<String> waiting(Instant staleBefore);

    /** Takes a waiting fit for this runner (PENDING, or FITTING but stale); empty if another runner has it. */
    Optional<ModelFit> claim(String fitId, Instant staleBefore, Instant at);

    void done(String fitId, long customers, BgNbd.Fit bgnbd, GammaGamma.Fit gammaGamma, long fitMillis, Instant at);

    void refused(String fitId, String status, Long customers, String reason, Instant at);

    Optional<ModelFit> find(String workspace, String fitId);

    /** The workspace's fits, newest first. */
    List<ModelFit> history(String workspace, int limit);

    /** The workspace's latest DONE fit. */
    Optional<ModelFit> current(String workspace);

    /** Workspaces with at least one order. */
    List<String> workspacesWithOrders();

    /** One profile's orders: when each was placed and its revenue. */
    record ProfileOrders(String profileId, List<Instant> at, List<Double> revenue) {
    }

    /** One profile's orders up to {@code until} (exclusive), oldest first. */
    ProfileOrders ordersOf(String workspace, String profileId, Instant until);

    /** Profiles with orders up to {@code until} (exclusive), after {@code afterProfileId} in id order, with those orders. */
    List<ProfileOrders> ordersOfProfiles(String workspace, Instant until, String afterProfileId, int limit);
}
