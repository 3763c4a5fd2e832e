package org.openaudience.audience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.security.AccessGuard;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The Audiences list: filtered, paged, with each audience's size, progress and 24-hour adds and drops. */
@Service
public class AudienceList {

    /**
     * The order of audiences by name, as people read a list: numbers by value ("Variant 2" before "Variant 10"),
     * case and accents aside ("éclair" beside "Eclair"), then by id; the query sorts, Java keeps its order.
     */
    static final String BY_NAME = " ORDER BY NATURAL_SORT_KEY(a.name) COLLATE utf8mb4_uca1400_ai_ci, a.id";

    private final AudienceRepository audiences;
    private final CalculationEngine calculations;
    private final AccessGuard guard;
    private final JdbcClient jdbc;
    private final Clock clock;

    AudienceList(AudienceRepository audiences, CalculationEngine calculations, AccessGuard guard, JdbcClient jdbc,
                 Clock clock) {
        this.audiences = audiences;
        this.calculations = calculations;
        this.guard = guard;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A page of the workspace's audiences matching the filter, by name. */
    @Transactional(readOnly = true)
    public List<AudienceSummary> page(long workspaceId, AudienceFilter filter, int offset, int limit) {
        guard.requireWorkspace(workspaceId);
        List<Object> parameters = new ArrayList<>();
        String where = where(workspaceId, filter, parameters);
        parameters.add(Math.max(1, limit));
        parameters.add(Math.max(0, offset));
        List<Long> ids = jdbc.sql("SELECT a.id FROM audience a WHERE " + where + BY_NAME + " LIMIT ? OFFSET ?")
                .params(parameters).query(Long.class).list();
        Map<Long, Audience> found = audiences.findAllById(ids).stream()
                .collect(Collectors.toMap(Audience::id, Function.identity()));
        Instant dayAgo = clock.instant().minus(Duration.ofHours(24));
        // one query each for the page's progress and 24-hour changes, not two per audience
        Map<Long, CalculationProgress> progress = calculations.progress(ids);
        Map<Long, long[]> changes = calculations.addsAndDrops(ids, dayAgo);
        // in the query's order: one rule for the order within a page and across pages
        return ids.stream().map(found::get).filter(audience -> audience != null)
                .map(audience -> new AudienceSummary(audience, progress.get(audience.id()),
                        changes.get(audience.id())[0], changes.get(audience.id())[1]))
                .toList();
    }

    /**
     * The workspace's audiences by name, without sizes or changes: for choosing one (Users › Lookup's "why is this
     * user in this audience"), where the list's figures would only cost time.
     */
    @Transactional(readOnly = true)
    public List<Audience> choices(long workspaceId, int limit) {
        guard.requireWorkspace(workspaceId);
        List<Long> ids = jdbc.sql("SELECT a.id FROM audience a WHERE a.workspace_id = ?" + BY_NAME + " LIMIT ?")
                .params(workspaceId, Math.max(1, limit)).query(Long.class).list();
        Map<Long, Audience> found = audiences.findAllById(ids).stream()
                .collect(Collectors.toMap(Audience::id, Function.identity()));
        return ids.stream().map(found::get).filter(audience -> audience != null).toList();
    }

    /** One audience as the list shows it; an audience of a workspace the member may not use does not exist. */
    @Transactional(readOnly = true)
    public AudienceSummary summary(long audienceId) {
        Audience audience = audiences.findById(audienceId)
                .orElseThrow(() -> AudienceService.notFound(audienceId));
        guard.requireWorkspace(audience.workspaceId(), () -> AudienceService.notFound(audienceId));
        long[] changes = calculations.addsAndDrops(audienceId, clock.instant().minus(Duration.ofHours(24)));
        return new AudienceSummary(audience, calculations.progress(audienceId), changes[0], changes[1]);
    }

    @Transactional(readOnly = true)
    public int count(long workspaceId, AudienceFilter filter) {
        guard.requireWorkspace(workspaceId);
        List<Object> parameters = new ArrayList<>();
        String where = where(workspaceId, filter, parameters);
        return jdbc.sql("SELECT COUNT(*) FROM audience a WHERE " + where).params(parameters).query(Integer.class)
                .single();
    }

    /** Every tag used in the workspace, for the tag filter. */
    @Transactional(readOnly = true)
    public List<String> tags(long workspaceId) {
        guard.requireWorkspace(workspaceId);
        return jdbc.sql("SELECT DISTINCT t.tag FROM audience_tag t JOIN audience a ON a.id = t.audience_id"
                + " WHERE a.workspace_id = ? ORDER BY t.tag").param(workspaceId).query(String.class).list();
    }

    private static String where(long workspaceId, AudienceFilter filter, List<Object> parameters) {
        StringBuilder where = new StringBuilder("a.workspace_id = ?");
        parameters.add(workspaceId);
        if (!filter.search().isEmpty()) {
            // the column's collation compares without case
            where.append(" AND LOCATE(?, a.name) > 0");
            parameters.add(filter.search());
        }
        if (filter.status() != null) {
            where.append(" AND a.status = ?");
            parameters.add(filter.status().name());
        }
        for (String tag : filter.tags()) {
            where.append(" AND EXISTS (SELECT 1 FROM audience_tag t WHERE t.audience_id = a.id AND t.tag = ?)");
            parameters.add(tag);
        }
        return where.toString();
    }
}
