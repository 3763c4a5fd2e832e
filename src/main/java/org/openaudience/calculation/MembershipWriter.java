package org.openaudience.calculation;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openaudience.base.FreshPlans;
import org.openaudience.criteria.CompiledQuery;
import org.openaudience.indexing.AttributeIndexes;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What real time and the time sweep share: re-evaluating profiles of an active audience against its complete
 * generation (and a running recalculation's, where that has already evaluated), under the audience's row lock, and
 * writing the differences — members, size and the change log. Callers own the transaction.
 */
@Component
class MembershipWriter {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final AttributeIndexes indexes;
    private final ChangeCounts changeCounts;
    private final FreshPlans freshPlans;

    MembershipWriter(JdbcClient jdbc, ApplicationEventPublisher events, AttributeIndexes indexes,
                     ChangeCounts changeCounts, FreshPlans freshPlans) {
        this.freshPlans = freshPlans;
        this.jdbc = jdbc;
        this.events = events;
        this.indexes = indexes;
        this.changeCounts = changeCounts;
    }

    /** Membership changes made by one step or summed over a sweep. */
    record Applied(long added, long removed) {
        static final Applied NONE = new Applied(0, 0);

        Applied plus(Applied other) {
            return new Applied(added + other.added, removed + other.removed);
        }
    }

    /** Active audiences, those without membership criteria first. */
    List<Long> activeAudienceIds(Long workspaceId) {
        return jdbc.sql("SELECT id FROM audience WHERE status = 'ACTIVE' AND (? IS NULL OR workspace_id = ?)"
                        + " ORDER BY definition_json LIKE '%\"membership\"%', id")
                .params(workspaceId, workspaceId).query(Long.class).list();
    }


    /**
     * Takes the audience's row lock (the calculation takes the same lock first), so a swap or a bucket never
     * interleaves with a real-time or sweep step; false when the audience is no longer active.
     */
    boolean lockActive(long audienceId) {
        List<String> locked = jdbc.sql("SELECT status FROM audience WHERE id = ? FOR UPDATE").param(audienceId)
                .query(String.class).list();
        return !locked.isEmpty() && "ACTIVE".equals(locked.get(0));
    }

    /** The audience's complete run and its running recalculation, whichever exist. */
    List<Map<String, Object>> runs(long audienceId) {
        return jdbc.sql("""
                        SELECT * FROM calculation_run WHERE audience_id = ? AND (status = 'RUNNING'
                            OR generation = (SELECT MAX(generation) FROM calculation_run
                                             WHERE audience_id = ? AND status = 'DONE'))""")
                .params(audienceId, audienceId).query().listOfRows();
    }


    /** Whether a running calculation has passed this profile (or will never reach it: newer than its span). */
    static boolean evaluatedAlready(Map<String, Object> run, long mpid) {
        int done = ((Number) run.get("buckets_done")).intValue();
        long min = ((Number) run.get("mpid_min")).longValue();
        long max = ((Number) run.get("mpid_max")).longValue();
        return mpid < min || mpid > max || (done > 0 && mpid <= CalculationSteps.bucket(run, done - 1).to());
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
            long upTo = done > 0 ? CalculationSteps.bucket(run, done - 1).to() : min - 1;
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
    Applied apply(long audienceId, long workspaceId, int generation, Definition definition, ProfileScope scope,
                        String cause, Instant now) {
        return apply(audienceId, workspaceId, generation, definition, scope, cause, now, mpid -> true);
    }

    /**
     * {@link #apply(long, long, int, Definition, ProfileScope, String, Instant)}, where members of the generation
     * for which {@code mayLeave} is false stay members without being evaluated (real time: new events cannot make
     * them leave, see {@link org.openaudience.criteria.Evaluator#newEventsOnlyAdd}).
     */
    Applied apply(long audienceId, long workspaceId, int generation, Definition definition, ProfileScope scope,
                  String cause, Instant now, java.util.function.LongPredicate mayLeave) {
        Set<Long> members = new HashSet<>(members(audienceId, generation, scope));
        if (scope instanceof ProfileScope.Profiles profiles) {
            List<Long> evaluated = profiles.mpids().stream()
                    .filter(mpid -> !members.contains(mpid) || mayLeave.test(mpid)).toList();
            if (evaluated.isEmpty()) {
                return Applied.NONE;
            }
            if (evaluated.size() < profiles.mpids().size()) {
                scope = new ProfileScope.Profiles(evaluated);
                members.retainAll(evaluated);
            }
        }
        CompiledQuery query = SqlCompiler.compile(definition, workspaceId, scope, now, indexes.columns());
        Set<Long> qualifying = new HashSet<>(freshPlans.longs(query.statement(query.sql()), query.parameters()));
        List<Long> adds = qualifying.stream().filter(mpid -> !members.contains(mpid)).sorted().toList();
        List<Long> removes = members.stream().filter(mpid -> !qualifying.contains(mpid)).sorted().toList();
        if (adds.isEmpty() && removes.isEmpty()) {
            return Applied.NONE;
        }
        int added = 0;
        for (List<Long> part : parts(adds)) {
            added += jdbc.sql(MemberRows.insertIgnore(audienceId, generation, part)).update();
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
            changeCounts.add(audienceId, Timestamp.from(now), adds.size(), removes.size());
            events.publishEvent(new MembershipChanged(audienceId));
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

}
