package org.openaudience.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.openaudience.base.AppShutdown;
import org.openaudience.criteria.ProfileScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes events older than each workspace's retention window (default 90 days) key by key, in bounded chunks, each
 * its own short transaction, so ingestion is never blocked for long.
 */
@Component
public class RetentionSweep {

    static final int CHUNK = 5_000;
    private static final List<ProfileScope.MpidRange> SLICES = ProfileScope.MpidRange.split(Long.MIN_VALUE,
            Long.MAX_VALUE, 16);
    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private final JdbcClient jdbc;
    private final EventStore events;
    private final Clock clock;
    private final AppShutdown shutdown;

    RetentionSweep(JdbcClient jdbc, EventStore events, Clock clock, AppShutdown shutdown) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.shutdown = shutdown;
    }

    @Scheduled(initialDelayString = "${openaudience.retention.initial-delay:PT5M}",
            fixedDelayString = "${openaudience.retention.interval:PT1H}")
    public void sweep() {
        jdbc.sql("SELECT id, event_retention_days FROM workspace").query((rs, row) -> new long[] {rs.getLong(1),
                rs.getLong(2)}).list().forEach(w -> sweepWorkspace(w[0], Duration.ofDays(w[1])));
    }

    /** @return the number of events removed */
    public long sweepWorkspace(long workspaceId, Duration retention) {
        Instant cutoff = clock.instant().minus(retention);
        long removed = 0;
        for (String[] key : events.eventKeys(workspaceId)) {
            // the key index is ordered by MPID before time: slice by MPID so no chunk rescans what an earlier kept
            for (ProfileScope.MpidRange slice : SLICES) {
                if (shutdown.closing()) {
                    log.info("Retention sweep of workspace {} stopped for the shutdown after removing {} events;"
                            + " the next sweep goes on", workspaceId, removed);
                    return removed;
                }
                int deleted;
                do {
                    deleted = events.deleteOlderThan(workspaceId, key[0], key[1], slice.from(), slice.to(), cutoff,
                            CHUNK);
                    removed += deleted;
                } while (deleted == CHUNK);
            }
        }
        long batches = 0;
        int deletedBatches;
        do {
            deletedBatches = events.deleteBatchesReceivedBefore(workspaceId, cutoff, CHUNK);
            batches += deletedBatches;
        } while (deletedBatches == CHUNK);
        if (removed > 0 || batches > 0) {
            log.info("Retention removed {} events and {} raw batches older than {} from workspace {}", removed,
                    batches, cutoff, workspaceId);
        }
        return removed;
    }
}
