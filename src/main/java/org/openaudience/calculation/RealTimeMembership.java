package org.openaudience.calculation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openaudience.criteria.CompiledQuery;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.Evaluator;
import org.openaudience.criteria.ProfileFacts;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps active audiences' membership following the data and the clock. Profiles touched by committed ingestion
 * (events or user attributes) are collected and re-evaluated in micro-batches with the same compiler as the bulk
 * calculation, against each active audience of their workspace that the new data can affect: audiences with Users or
 * membership criteria see every touched profile, and so do event-only audiences a profile can match with none of
 * their events (Less than 1, Exactly 0, Between 0 and n, Exclude-only); other event-only audiences see only the
 * profiles that received events of their keys. Changes to the complete generation are logged with their cause.
 * While a recalculation runs, its new generation follows the data too, for the buckets it has already done (and for
 * profiles newer than its MPID span); the swap logs those.
 * <p>
 * Time passing is handled by a sweep ({@code openaudience.realtime.sweep-interval}, default every 10 minutes) that
 * re-evaluates each active audience over every profile of its workspace, in MPID ranges of {@link #SWEEP_CHUNK}
 * profiles, each in its own short transaction: members whose qualifying events aged out leave, and users join when
 * an excluded event or a "less than" count ages out of its window or a relative date condition (In the Last N Days,
 * More Than N Days Ago, first / last seen) starts to hold. Those changes are logged with cause {@code EXPIRY}; a
 * running recalculation's generation is swept where it has already evaluated, unlogged, as real time treats it.
 */
@Service
public class RealTimeMembership {

    static final int SWEEP_CHUNK = 5_000;
    private static final Logger log = LoggerFactory.getLogger(RealTimeMembership.class);
    /** A profile with no events, for {@link #matchesWithoutEvents}. */
    private static final ProfileFacts WITHOUT_EVENTS = new ProfileFacts(0, JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), null, null, null, Instant.EPOCH, Instant.EPOCH, List.of());

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<Long, Touched> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker;

    RealTimeMembership(JdbcClient jdbc, TransactionTemplate transactions, Clock clock,
                       @Value("${openaudience.realtime.interval-ms:250}") long intervalMs) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "real-time-membership");
            thread.setDaemon(true);
            return thread;
        });
        worker.scheduleWithFixedDelay(this::flushSafely, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Profiles of one workspace waiting for the next round, in all and by event key. */
    private record Touched(Set<Long> mpids, Map<String, Set<Long>> byEventKey) {
        Touched() {
            this(ConcurrentHashMap.newKeySet(), new ConcurrentHashMap<>());
        }

        void add(Set<Long> more, Map<String, Set<Long>> moreByKey) {
            mpids.addAll(more);
            moreByKey.forEach((key, ids) -> byEventKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
                    .addAll(ids));
        }
    }

    /** Membership changes made by one step or summed over a sweep. */
    private record Applied(long added, long removed) {
        static final Applied NONE = new Applied(0, 0);

        Applied plus(Applied other) {
            return new Applied(added + other.added, removed + other.removed);
        }
    }

    @TransactionalEventListener
    public void onProfilesTouched(ProfilesTouched touched) {
        // merged inside compute, so a flush taking the workspace's set never loses a concurrent add
        pending.compute(touched.workspaceId(), (id, waiting) -> {
            Touched merged = waiting == null ? new Touched() : waiting;
            merged.add(touched.mpids(), touched.mpidsByEventKey());
            return merged;
        });
    }

    private void flushSafely() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.error("Real-time membership update failed; the profiles are retried in the next round", e);
        }
    }

    /** Re-evaluates every profile touched since the last round. */
    public synchronized void flush() {
        for (Long workspaceId : new ArrayList<>(pending.keySet())) {
            Touched touched = pending.remove(workspaceId);
            if (touched == null || touched.mpids().isEmpty()) {
                continue;
            }
            try {
                // audiences others point at first, so membership criteria see this round's changes
                List<Long> ids = activeAudienceIds(workspaceId);
                for (Long audienceId : ids) {
                    reevaluate(audienceId, touched);
                }
            } catch (RuntimeException e) {
                pending.computeIfAbsent(workspaceId, id -> new Touched()).add(touched.mpids(), touched.byEventKey());
                throw e;
            }
        }
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
        List<Long> ids = activeAudienceIds(null);
        for (Long audienceId : ids) {
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
        while (true) {
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
    }

    /**
     * One chunk of one audience under its row lock: the complete generation's changes are logged; a running
     * recalculation's generation follows too, where it has already evaluated, as {@link #reevaluate} does.
     *
     * @return the complete generation's changes, or null when the audience is no longer active
     */
    private Applied sweepChunk(long audienceId, ProfileScope.MpidRange chunk) {
        if (!lockActive(audienceId)) {
            return null;
        }
        Instant now = clock.instant();
        Applied logged = Applied.NONE;
        for (Map<String, Object> run : runs(audienceId)) {
            boolean complete = "DONE".equals(run.get("status"));
            Definition definition = DefinitionJson.read((String) run.get("definition_json"));
            for (ProfileScope.MpidRange scope : complete ? List.of(chunk) : evaluatedRanges(run, chunk)) {
                Applied applied = apply(audienceId, ((Number) run.get("workspace_id")).longValue(),
                        ((Number) run.get("generation")).intValue(), definition, scope, complete ? "EXPIRY" : null,
                        now);
                logged = complete ? logged.plus(applied) : logged;
            }
        }
        return logged;
    }

    /** Active audiences, those without membership criteria first. */
    private List<Long> activeAudienceIds(Long workspaceId) {
        return jdbc.sql("SELECT id FROM audience WHERE status = 'ACTIVE' AND (? IS NULL OR workspace_id = ?)"
                        + " ORDER BY definition_json LIKE '%\"membership\"%', id")
                .params(workspaceId, workspaceId).query(Long.class).list();
    }

    /**
     * Takes the audience's row lock (the calculation takes the same lock first), so a swap or a bucket never
     * interleaves with a real-time or sweep step; false when the audience is no longer active.
     */
    private boolean lockActive(long audienceId) {
        List<String> locked = jdbc.sql("SELECT status FROM audience WHERE id = ? FOR UPDATE").param(audienceId)
                .query(String.class).list();
        return !locked.isEmpty() && "ACTIVE".equals(locked.get(0));
    }

    /** The audience's complete run and its running recalculation, whichever exist. */
    private List<Map<String, Object>> runs(long audienceId) {
        return jdbc.sql("""
                        SELECT * FROM calculation_run WHERE audience_id = ? AND (status = 'RUNNING'
                            OR generation = (SELECT MAX(generation) FROM calculation_run
                                             WHERE audience_id = ? AND status = 'DONE'))""")
                .params(audienceId, audienceId).query().listOfRows();
    }

    /** One audience in one transaction, under its row lock. */
    private void reevaluate(long audienceId, Touched touched) {
        transactions.executeWithoutResult(status -> {
            if (!lockActive(audienceId)) {
                return;
            }
            Instant now = clock.instant();
            for (Map<String, Object> run : runs(audienceId)) {
                boolean complete = "DONE".equals(run.get("status"));
                Definition definition = DefinitionJson.read((String) run.get("definition_json"));
                List<Long> mpids = affected(definition, touched, now).stream()
                        .filter(mpid -> complete || evaluatedAlready(run, mpid)).toList();
                if (!mpids.isEmpty()) {
                    apply(audienceId, ((Number) run.get("workspace_id")).longValue(),
                            ((Number) run.get("generation")).intValue(), definition,
                            new ProfileScope.Profiles(mpids), complete ? "REALTIME" : null, now);
                }
            }
        });
    }

    /** The touched profiles whose verdict the new data can change. */
    private static Set<Long> affected(Definition definition, Touched touched, Instant now) {
        Set<String> keys = new HashSet<>();
        if (!eventKeysOnly(definition.root(), keys) || matchesWithoutEvents(definition, now)) {
            // a profile new to us, or one whose events are of other keys, may qualify too: all are evaluated
            return touched.mpids();
        }
        Set<Long> affected = new HashSet<>();
        keys.forEach(key -> affected.addAll(touched.byEventKey().getOrDefault(key, Set.of())));
        return affected;
    }

    /**
     * Whether a profile with none of the definition's events matches it (Less than 1, Exactly 0, Between 0 and n, an
     * Exclude-only group), decided by the in-memory evaluator, the SQL compiler's reference. Only asked of
     * definitions made of event criteria alone, so the profile's other facts do not matter.
     */
    static boolean matchesWithoutEvents(Definition definition, Instant now) {
        return Evaluator.evaluate(definition, WITHOUT_EVENTS, now).matches();
    }

    /** Collects the tree's event keys; false when it also has Users or membership criteria. */
    private static boolean eventKeysOnly(Group group, Set<String> keys) {
        for (Group.Item item : group.items()) {
            if (item.node() instanceof Group inner) {
                if (!eventKeysOnly(inner, keys)) {
                    return false;
                }
            } else if (item.node() instanceof EventCriterion event) {
                keys.add(ProfilesTouched.eventKey(event.kind().eventType(), event.eventKey()));
            } else {
                return false;
            }
        }
        return true;
    }

    /** Whether a running calculation has passed this profile (or will never reach it: newer than its span). */
    private static boolean evaluatedAlready(Map<String, Object> run, long mpid) {
        int done = ((Number) run.get("buckets_done")).intValue();
        long min = ((Number) run.get("mpid_min")).longValue();
        long max = ((Number) run.get("mpid_max")).longValue();
        return mpid < min || mpid > max || (done > 0 && mpid <= CalculationEngine.bucket(run, done - 1).to());
    }

    /**
     * The parts of {@code chunk} a running calculation has already evaluated ({@link #evaluatedAlready} as ranges):
     * below its span or up to its last bucket done, and above its span.
     */
    static List<ProfileScope.MpidRange> evaluatedRanges(Map<String, Object> run, ProfileScope.MpidRange chunk) {
        int done = ((Number) run.get("buckets_done")).intValue();
        long min = ((Number) run.get("mpid_min")).longValue();
        long max = ((Number) run.get("mpid_max")).longValue();
        List<ProfileScope.MpidRange> ranges = new ArrayList<>();
        if (done > 0 || min != Long.MIN_VALUE) {
            long upTo = done > 0 ? CalculationEngine.bucket(run, done - 1).to() : min - 1;
            if (chunk.from() <= upTo) {
                ranges.add(new ProfileScope.MpidRange(chunk.from(), Math.min(chunk.to(), upTo)));
            }
        }
        if (max != Long.MAX_VALUE && chunk.to() > max) {
            ranges.add(new ProfileScope.MpidRange(Math.max(chunk.from(), max + 1), chunk.to()));
        }
        return ranges;
    }

    /**
     * Evaluates the scope's profiles against one generation and applies the differences; logged when cause is
     * given.
     *
     * @return the numbers of profiles added and removed
     */
    private Applied apply(long audienceId, long workspaceId, int generation, Definition definition, ProfileScope scope,
                        String cause, Instant now) {
        CompiledQuery query = SqlCompiler.compile(definition, workspaceId, scope, now);
        Set<Long> qualifying = new HashSet<>(jdbc.sql(query.statement(query.sql())).params(query.parameters())
                .query(Long.class).list());
        Set<Long> members = new HashSet<>(members(audienceId, generation, scope));
        List<Long> adds = qualifying.stream().filter(mpid -> !members.contains(mpid)).sorted().toList();
        List<Long> removes = members.stream().filter(mpid -> !qualifying.contains(mpid)).sorted().toList();
        if (adds.isEmpty() && removes.isEmpty()) {
            return Applied.NONE;
        }
        int added = 0;
        for (List<Long> part : parts(adds)) {
            List<Object> values = new ArrayList<>();
            part.forEach(mpid -> values.addAll(List.of(audienceId, generation, mpid)));
            added += jdbc.sql("INSERT IGNORE INTO audience_member (audience_id, generation, mpid) VALUES "
                    + String.join(", ", Collections.nCopies(part.size(), "(?, ?, ?)"))).params(values).update();
        }
        int removed = 0;
        for (List<Long> part : parts(removes)) {
            removed += jdbc.sql("DELETE FROM audience_member WHERE audience_id = :id AND generation = :generation"
                            + " AND mpid IN (:mpids)")
                    .param("id", audienceId).param("generation", generation).param("mpids", part).update();
        }
        // rows actually written, so the size stays the member count
        jdbc.sql("UPDATE calculation_run SET size = size + ? WHERE audience_id = ? AND generation = ?")
                .params(added - removed, audienceId, generation).update();
        if (cause != null) {
            log(audienceId, adds, "ADD", cause, now);
            log(audienceId, removes, "REMOVE", cause, now);
        }
        return new Applied(added, removed);
    }

    /** The generation's members in the scope. */
    private List<Long> members(long audienceId, int generation, ProfileScope scope) {
        if (scope instanceof ProfileScope.MpidRange range) {
            return jdbc.sql("SELECT mpid FROM audience_member WHERE audience_id = ? AND generation = ?"
                            + " AND mpid BETWEEN ? AND ?")
                    .params(audienceId, generation, range.from(), range.to()).query(Long.class).list();
        }
        return jdbc.sql("SELECT mpid FROM audience_member WHERE audience_id = :id AND generation = :generation"
                        + " AND mpid IN (:mpids)")
                .param("id", audienceId).param("generation", generation)
                .param("mpids", ((ProfileScope.Profiles) scope).mpids()).query(Long.class).list();
    }

    /** Statements of at most 1,000 rows: a sweep chunk's changes stay a few statements, none of them huge. */
    private static List<List<Long>> parts(List<Long> mpids) {
        List<List<Long>> parts = new ArrayList<>();
        for (int i = 0; i < mpids.size(); i += 1_000) {
            parts.add(mpids.subList(i, Math.min(mpids.size(), i + 1_000)));
        }
        return parts;
    }

    private void log(long audienceId, List<Long> mpids, String change, String cause, Instant now) {
        for (List<Long> part : parts(mpids)) {
            List<Object> values = new ArrayList<>();
            part.forEach(mpid -> values.addAll(List.of(audienceId, mpid, change, cause, Timestamp.from(now))));
            jdbc.sql("INSERT INTO membership_change (audience_id, mpid, change_type, cause, changed_at) VALUES "
                    + String.join(", ", Collections.nCopies(part.size(), "(?, ?, ?, ?, ?)")))
                    .params(values).update();
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
