package org.openaudience.audience;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.openaudience.criteria.CompiledQuery;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Node;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.openaudience.security.AccessGuard;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Sizes of draft or edited definitions, from a fixed sample of the workspace, while the criteria are edited. */
@Service
public class AudienceEstimates {

    private final AccessGuard guard;
    private final JdbcClient jdbc;
    private final Clock clock;

    AudienceEstimates(AccessGuard guard, JdbcClient jdbc, Clock clock) {
        this.guard = guard;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Sample matches below which an estimate is "too small to estimate" (unless the sample is everyone). */
    static final int MIN_SAMPLE_MATCHES = 20;
    /** Estimates look at about this many profiles at most (1–100 % of the workspace). */
    static final int SAMPLE_PROFILES = 50_000;

    /**
     * Estimates a (draft or edited) definition and each of its criteria from a fixed sample of the workspace's
     * profiles, with the same compiler as the calculation. Small workspaces are sampled whole, so exactly.
     */
    @Transactional(readOnly = true)
    public Estimate estimate(long workspaceId, Definition definition) {
        guard.requireWorkspace(workspaceId);
        Instant now = clock.instant();
        Map<String, Object> span = jdbc.sql("SELECT COUNT(*) AS profiles, COALESCE(MIN(mpid), 0) AS low,"
                + " COALESCE(MAX(mpid), 0) AS high FROM profile WHERE workspace_id = ?").param(workspaceId)
                .query().singleRow();
        long profiles = ((Number) span.get("profiles")).longValue();
        int percent = (int) Math.max(1, Math.min(100, SAMPLE_PROFILES * 100L / Math.max(1, profiles)));
        // one fixed MPID range (MPIDs are random): each event criterion reads one slice of its key's index
        ProfileScope.MpidRange sample = ProfileScope.MpidRange.sample(((Number) span.get("low")).longValue(),
                ((Number) span.get("high")).longValue(), percent);
        long sampled = percent == 100 ? profiles : jdbc.sql("SELECT COUNT(*) FROM profile WHERE workspace_id = ?"
                + " AND mpid BETWEEN ? AND ?").params(workspaceId, sample.from(), sample.to()).query(Long.class)
                .single();
        Map<String, Estimate.Value> perCriterion = new LinkedHashMap<>();
        collectCriteria(definition.root(), "", (path, node) -> perCriterion.put(path, estimateOf(
                new Definition(Group.of(node), definition.inputIds()), workspaceId, sample, sampled, profiles, percent,
                now)));
        return new Estimate(estimateOf(definition, workspaceId, sample, sampled, profiles, percent, now), perCriterion);
    }

    private Estimate.Value estimateOf(Definition definition, long workspaceId, ProfileScope sample, long sampled,
                                      long profiles, int percent, Instant now) {
        CompiledQuery query = SqlCompiler.compile(definition, workspaceId, sample, now);
        long matches = jdbc.sql("SELECT COUNT(*) FROM (" + query.sql() + ") q").params(query.parameters())
                .query(Long.class).single();
        long size = sampled == 0 ? 0 : Math.round((double) matches * profiles / sampled);
        return new Estimate.Value(size, percent < 100 && matches < MIN_SAMPLE_MATCHES, sampled, percent);
    }

    private static void collectCriteria(Group group, String prefix,
                                        BiConsumer<String, Node> criterion) {
        for (int i = 0; i < group.items().size(); i++) {
            Node node = group.items().get(i).node();
            String path = prefix + (i + 1);
            if (node instanceof Group inner) {
                collectCriteria(inner, path + ".", criterion);
            } else {
                criterion.accept(path, node);
            }
        }
    }

}
