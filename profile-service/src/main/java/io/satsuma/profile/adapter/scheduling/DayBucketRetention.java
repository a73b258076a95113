package io.satsuma.profile.adapter.scheduling;

import io.quarkus.scheduler.Scheduled;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.DayBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/** Deletes day buckets past their workspace's retention, hourly (a day is the unit, so an hour late is harmless). */
@ApplicationScoped
class DayBucketRetention {
    private static final Logger LOG = Logger.getLogger(DayBucketRetention.class);

    private final DayBuckets days;

    DayBucketRetention(DayBuckets days) {
        this.days = days;
    }

    @Scheduled(every = "${satsuma.day-buckets.sweep-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void deleteExpired() {
        int deleted = days.deleteExpiredDays(ProfileSettings.defaults().retentionDays());
        if (deleted > 0) {
            LOG.infof("deleted %d expired day buckets", deleted);
        }
    }
}
