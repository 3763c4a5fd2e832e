package org.openaudience.calculation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.openaudience.base.AppShutdown;
import org.openaudience.calculation.MembershipWriter.Applied;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.ProfileScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Time passing changes membership both ways, and no event announces it: a sweep ({@code
 * openaudience.realtime.sweep-interval}, default every 10 minutes) re-evaluates each active audience over every
 * profile of its workspace, in MPID ranges of {@link #SWEEP_CHUNK} profiles, each in its own short transaction.
 * Members whose qualifying events aged out leave; users join when an excluded event or a "less than" count ages out
 * of its window or a relative date condition (In the Last N Days, More Than N Days Ago, first / last seen) starts to
 * hold. Those changes are logged with cause {@code EXPIRY}; a running recalculation's generation is swept where it
 * has already evaluated, unlogged, as real time treats it.
 */
@Service
public class TimeSweep {

    static final int SWEEP_CHUNK = 5_000;
    private static final Logger log = LoggerFactory.getLogger(TimeSweep.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final MembershipWriter writer;
    private final AppShutdown shutdown;

    TimeSweep(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, MembershipWriter writer,
              AppShutdown shutdown) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.writer = writer;
        this.shutdown = shutdown;
    }

    /**
     * Re-evaluates each active audience over every profile of its workspace, so that time passing changes membership
     * both ways: members whose qualifying events aged out leave, and users join when an excluded event or a "less
     * than" count left the window or a relative date condition started to hold.
     */
    @Scheduled(initialDelayString = "${openaudience.realtime.sweep-initial-delay:PT2M}",
            fixedDelayString = "${openaudience.realtime.sweep-interval:PT10M}")
    public void sweepExpired() {
        long started = System.nanoTime();
        Applied total = Applied.NONE;
        List<Long> ids = writer.activeAudienceIds(null);
        for (Long audienceId : ids) {
            if (shutdown.closing()) {
                log.info("Expiry sweep stopped for the shutdown: {} added, {} removed so far; the next sweep"
                        + " goes on", total.added(), total.removed());
                return;
            }
            try {
                total = total.plus(sweep(audienceId));
            } catch (RuntimeException e) {
                // one broken audience must not keep the others following the clock
                log.error("Expiry sweep of audience {} failed; it is retried in the next sweep", audienceId, e);
            }
        }
        log.info("Expiry sweep of {} active audiences: {} added, {} removed in {} ms", ids.size(), total.added(),
                total.removed(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * One audience, chunk by chunk in ascending MPID order, so the audience row lock is held for one chunk only and
     * ingestion and calculations wait at most that long.
     */
    private Applied sweep(long audienceId) {
        List<Long> workspace = jdbc.sql("SELECT workspace_id FROM audience WHERE id = ?").param(audienceId)
                .query(Long.class).list();
        Applied total = Applied.NONE;
        if (workspace.isEmpty()) {
            return total;
        }
        long from = Long.MIN_VALUE;
        while (!shutdown.closing()) {
            // the chunk ends at its SWEEP_CHUNK-th profile (read from the primary key); the last one at the end of
            // the MPID space, so members whose profile is gone are swept too
            List<Long> last = jdbc.sql("SELECT mpid FROM profile WHERE workspace_id = ? AND mpid >= ?"
                            + " ORDER BY mpid LIMIT 1 OFFSET ?")
                    .params(workspace.get(0), from, SWEEP_CHUNK - 1).query(Long.class).list();
            long to = last.isEmpty() ? Long.MAX_VALUE : last.get(0);
            ProfileScope.MpidRange chunk = new ProfileScope.MpidRange(from, to);
            Applied applied = transactions.execute(status -> sweepChunk(audienceId, chunk));
            if (applied == null) {
                return total;
            }
            total = total.plus(applied);
            if (to == Long.MAX_VALUE) {
                return total;
            }
            from = to + 1;
        }
        return total;
    }

    /**
     * One chunk of one audience under its row lock: the complete generation's changes are logged; a running
     * recalculation's generation follows too, where it has already evaluated, as real time does.
     *
     * @return the complete generation's changes, or null when the audience is no longer active
     */
    private Applied sweepChunk(long audienceId, ProfileScope.MpidRange chunk) {
        if (!writer.lockActive(audienceId)) {
            return null;
        }
        Instant now = clock.instant();
        Applied logged = Applied.NONE;
        for (Map<String, Object> run : writer.runs(audienceId)) {
            boolean complete = "DONE".equals(run.get("status"));
            Definition definition = DefinitionJson.read((String) run.get("definition_json"));
            for (ProfileScope.MpidRange scope : complete ? List.of(chunk) : MembershipWriter.evaluatedRanges(run, chunk)) {
                Applied applied = writer.apply(audienceId, ((Number) run.get("workspace_id")).longValue(),
                        ((Number) run.get("generation")).intValue(), definition, scope, complete ? "EXPIRY" : null,
                        now);
                logged = complete ? logged.plus(applied) : logged;
            }
        }
        return logged;
    }

}
