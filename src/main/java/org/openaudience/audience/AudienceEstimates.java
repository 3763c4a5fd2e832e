package org.openaudience.audience;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.openaudience.base.FreshPlans;
import org.openaudience.criteria.CompiledQuery;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Node;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.SqlCompiler;
import org.openaudience.indexing.AttributeIndexes;
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

    private final AudienceReferences references;

    private final AttributeIndexes indexes;
    private final FreshPlans freshPlans;

    AudienceEstimates(AccessGuard guard, JdbcClient jdbc, AudienceReferences references, AttributeIndexes indexes,
                      FreshPlans freshPlans, Clock clock) {
        this.freshPlans = freshPlans;
        this.references = references;
        this.indexes = indexes;
        this.guard = guard;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Sample matches below which an estimate is "too small to estimate" (unless the sample is everyone). */
    static final int MIN_SAMPLE_MATCHES = 20;
    /** Estimates look at about this many profiles at most (1–100 % of the workspace). */
    static final int SAMPLE_PROFILES = 20_000;
    /** How long a workspace's profile count and MPID span are reused: counting a million rows takes a while. */
    static final long SPAN_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private record Span(long profiles, long low, long high, long countedAt) {
    }

    private final Map<Long, Span> spans = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Estimates a (draft or edited) definition and each of its criteria from a fixed sample of the workspace's
     * profiles, with the same compiler as the calculation. Small workspaces are sampled whole, so exactly.
     */
    @Transactional(readOnly = true)
    public Estimate estimate(long workspaceId, Definition definition) {
        guard.requireWorkspace(workspaceId);
        references.requireInWorkspace(workspaceId, definition);
        Instant now = clock.instant();
        Sample sample = sample(workspaceId);
        // the same definition is counted once (a single criterion is also the whole tree)
        Map<Definition, Estimate.Value> counted = new java.util.HashMap<>();
        java.util.function.Function<Definition, Estimate.Value> estimate = each -> counted.computeIfAbsent(each,
                d -> estimateOf(d, workspaceId, sample.range(), sample.sampled(), sample.profiles(),
                        sample.percent(), now));
        Map<String, Estimate.Value> perCriterion = new LinkedHashMap<>();
        collectCriteria(definition.root(), "", (path, node) -> perCriterion.put(path,
                estimate.apply(new Definition(Group.of(node), definition.inputIds()))));
        return new Estimate(estimate.apply(definition), perCriterion);
    }

    /**
     * The workspace's fixed estimate sample (also the edit preview's, {@link AudiencePreview}).
     *
     * @param range    the MPID range sampled
     * @param sampled  profiles in it
     * @param profiles profiles in the workspace
     * @param percent  the share of the MPID span sampled, 1–100
     */
    record Sample(ProfileScope.MpidRange range, long sampled, long profiles, int percent) {
    }

    /** The sample: about {@link #SAMPLE_PROFILES} profiles, the same ones for every estimate; callers check access. */
    Sample sample(long workspaceId) {
        Span span = span(workspaceId);
        long profiles = span.profiles();
        int percent = (int) Math.max(1, Math.min(100, SAMPLE_PROFILES * 100L / Math.max(1, profiles)));
        // one fixed MPID range (MPIDs are random): each event criterion reads one slice of its key's index
        ProfileScope.MpidRange range = ProfileScope.MpidRange.sample(span.low(), span.high(), percent);
        long sampled = percent == 100 ? profiles : jdbc.sql("SELECT COUNT(*) FROM profile WHERE workspace_id = ?"
                + " AND mpid BETWEEN ? AND ?").params(workspaceId, range.from(), range.to()).query(Long.class)
                .single();
        return new Sample(range, sampled, profiles, percent);
    }

    private Span span(long workspaceId) {
        Span cached = spans.get(workspaceId);
        if (cached != null && System.nanoTime() - cached.countedAt() < SPAN_TTL_NANOS) {
            return cached;
        }
        Map<String, Object> row = jdbc.sql("SELECT COUNT(*) AS profiles, COALESCE(MIN(mpid), 0) AS low,"
                + " COALESCE(MAX(mpid), 0) AS high FROM profile WHERE workspace_id = ?").param(workspaceId)
                .query().singleRow();
        Span fresh = new Span(((Number) row.get("profiles")).longValue(), ((Number) row.get("low")).longValue(),
                ((Number) row.get("high")).longValue(), System.nanoTime());
        spans.put(workspaceId, fresh);
        return fresh;
    }

    private Estimate.Value estimateOf(Definition definition, long workspaceId, ProfileScope sample, long sampled,
                                      long profiles, int percent, Instant now) {
        CompiledQuery query = SqlCompiler.compile(definition, workspaceId, sample, now, indexes.columns());
        long matches = freshPlans.count(query.statement("SELECT COUNT(*) FROM (" + query.sql() + ") q"),
                query.parameters());
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
