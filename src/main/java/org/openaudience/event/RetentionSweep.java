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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

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
    private final TransactionTemplate chunks;

    RetentionSweep(JdbcClient jdbc, EventStore events, Clock clock, AppShutdown shutdown,
                   PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.shutdown = shutdown;
        this.chunks = chunkTransactions(transactionManager);
    }

    /**
     * One chunk's transaction: short, and READ COMMITTED. Under REPEATABLE READ a delete locks every index entry it
     * scans and the gaps between them, also where it deletes nothing; MPIDs come before time in the key index, so a
     * chunk scans a whole MPID slice of its key (93,000 entries of one key on 10M events, 1.1 s) and held every
     * ingesting request that added an event of that key in the slice until it ended. READ COMMITTED locks only the
     * rows it deletes.
     */
    static TransactionTemplate chunkTransactions(PlatformTransactionManager transactionManager) {
        TransactionTemplate template = new TransactionTemplate(transactionManager);
        template.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        return template;
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
                    deleted = chunks.execute(status -> events.deleteOlderThan(workspaceId, key[0], key[1],
                            slice.from(), slice.to(), cutoff, CHUNK));
                    removed += deleted;
                } while (deleted == CHUNK);
            }
        }
        long batches = 0;
        int deletedBatches;
        do {
            deletedBatches = chunks.execute(status -> events.deleteBatchesReceivedBefore(workspaceId, cutoff,
                    CHUNK));
            batches += deletedBatches;
        } while (deletedBatches == CHUNK);
        if (removed > 0 || batches > 0) {
            log.info("Retention removed {} events and {} raw batches older than {} from workspace {}", removed,
                    batches, cutoff, workspaceId);
        }
        return removed;
    }
}
