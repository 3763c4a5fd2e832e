package org.openaudience.audience;

import org.openaudience.criteria.AttributeColumns;
import org.openaudience.indexing.AttributeIndexes;
import org.openaudience.indexing.IndexBuild;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openaudience.base.NotFoundException;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.CalculationTrigger;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionDiff;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.security.AccessGuard;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** An audience's past: every saved definition version and every calculation run, newest first. */
@Service
public class AudienceHistory {

    private static final String VERSION_COLUMNS = "definition_version, definition_json, saved_by, saved_at";
    private static final String RUN_COLUMNS = "generation, definition_version, triggered_by, status, started_at, "
            + "finished_at, size, size_at_completion, error";

    private final AudienceRepository audiences;
    private final CalculationEngine calculations;
    private final AccessGuard guard;
    private final JdbcClient jdbc;
    private final AttributeIndexes indexes;

    AudienceHistory(AudienceRepository audiences, CalculationEngine calculations, AccessGuard guard,
                    JdbcClient jdbc, AttributeIndexes indexes) {
        this.indexes = indexes;
        this.audiences = audiences;
        this.calculations = calculations;
        this.guard = guard;
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public List<DefinitionVersion> versions(long audienceId) {
        requireAccess(audienceId);
        return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM audience_definition_version WHERE audience_id = ?"
                        + " ORDER BY definition_version DESC")
                .param(audienceId).query((rs, row) -> version(rs)).list();
    }

    /** A page of the saved versions, newest first, each with its changes against the version before it. */
    @Transactional(readOnly = true)
    public List<VersionChanges> versions(long audienceId, int offset, int limit) {
        Audience audience = requireAccess(audienceId);
        // one more than the page: the predecessor of the page's oldest version
        List<DefinitionVersion> rows = jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM audience_definition_version"
                        + " WHERE audience_id = ? ORDER BY definition_version DESC LIMIT ? OFFSET ?")
                .params(audienceId, limit + 1, offset).query((rs, row) -> version(rs)).list();
        DefinitionDiff.Names names = names(audience.workspaceId(),
                rows.stream().map(DefinitionVersion::definition).toList());
        List<VersionChanges> page = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, rows.size()); i++) {
            page.add(changes(rows.get(i), i + 1 < rows.size() ? rows.get(i + 1) : null, names));
        }
        return page;
    }

    @Transactional(readOnly = true)
    public long versionCount(long audienceId) {
        requireAccess(audienceId);
        return jdbc.sql("SELECT COUNT(*) FROM audience_definition_version WHERE audience_id = ?").param(audienceId)
                .query(Long.class).single();
    }

    /** One saved version with its changes against the version before it. */
    @Transactional(readOnly = true)
    public VersionChanges version(long audienceId, int version) {
        Audience audience = requireAccess(audienceId);
        List<DefinitionVersion> rows = jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM audience_definition_version"
                        + " WHERE audience_id = ? AND definition_version <= ? ORDER BY definition_version DESC LIMIT 2")
                .params(audienceId, version).query((rs, row) -> version(rs)).list();
        if (rows.isEmpty() || rows.get(0).version() != version) {
            throw new NotFoundException("Audience " + audienceId + " has no definition version " + version + ".");
        }
        return changes(rows.get(0), rows.size() > 1 ? rows.get(1) : null, names(audience.workspaceId(),
                rows.stream().map(DefinitionVersion::definition).toList()));
    }

    @Transactional(readOnly = true)
    public List<CalculationRun> runs(long audienceId) {
        requireAccess(audienceId);
        return jdbc.sql("SELECT " + RUN_COLUMNS + " FROM calculation_run WHERE audience_id = ?"
                        + " ORDER BY generation DESC")
                .param(audienceId).query((rs, row) -> run(rs)).list();
    }

    /** A page of the calculation runs, newest first. */
    @Transactional(readOnly = true)
    public List<CalculationRun> runs(long audienceId, int offset, int limit) {
        requireAccess(audienceId);
        return jdbc.sql("SELECT " + RUN_COLUMNS + " FROM calculation_run WHERE audience_id = ?"
                        + " ORDER BY generation DESC LIMIT ? OFFSET ?")
                .params(audienceId, limit, offset).query((rs, row) -> run(rs)).list();
    }

    @Transactional(readOnly = true)
    public long runCount(long audienceId) {
        requireAccess(audienceId);
        return jdbc.sql("SELECT COUNT(*) FROM calculation_run WHERE audience_id = ?").param(audienceId)
                .query(Long.class).single();
    }

    /** Status, size and calculation progress, and when the complete membership was last calculated. */
    @Transactional(readOnly = true)
    public AudienceProgress progress(long audienceId) {
        Audience audience = requireAccess(audienceId);
        Instant lastCompleted = jdbc.sql("SELECT MAX(finished_at) FROM calculation_run"
                        + " WHERE audience_id = ? AND status = 'DONE'").param(audienceId)
                .query((rs, row) -> instant(rs.getTimestamp(1))).optional().orElse(null);
        return new AudienceProgress(audience, calculations.progress(audienceId), lastCompleted);
    }

    /**
     * The attribute indexes this audience's definition would read that are not ready yet (built in the background
     * since an active audience first needed them), with their progress; calculations read the JSON until then.
     */
    @Transactional(readOnly = true)
    public List<IndexBuild> indexBuilds(long audienceId) {
        Audience audience = requireAccess(audienceId);
        return indexes.building(AttributeColumns.usefulFor(audience.definition()));
    }

    private static VersionChanges changes(DefinitionVersion version, DefinitionVersion previous,
                                          DefinitionDiff.Names names) {
        return new VersionChanges(version, previous, previous == null ? null
                : DefinitionDiff.between(previous.definition(), version.definition()), names);
    }

    /**
     * The names of the audiences and inputs these definitions mention, read once; one no longer in the workspace
     * (deleted since) shows as its id.
     */
    private DefinitionDiff.Names names(long workspaceId, Collection<Definition> definitions) {
        Set<Long> audienceIds = new HashSet<>();
        Set<Long> inputIds = new HashSet<>();
        for (Definition definition : definitions) {
            audienceIds.addAll(AudienceReferences.referenced(definition));
            inputIds.addAll(definition.inputIds());
        }
        Map<Long, String> audienceNames = namesOf("audience", workspaceId, audienceIds);
        Map<Long, String> inputNames = namesOf("input", workspaceId, inputIds);
        return new DefinitionDiff.Names(id -> audienceNames.getOrDefault(id, "#" + id),
                id -> inputNames.getOrDefault(id, "#" + id));
    }

    private Map<Long, String> namesOf(String table, long workspaceId, Set<Long> ids) {
        Map<Long, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql("SELECT id, name FROM " + table + " WHERE workspace_id = :workspaceId AND id IN (:ids)")
                    .param("workspaceId", workspaceId).param("ids", ids)
                    .query((rs, row) -> names.put(rs.getLong(1), rs.getString(2))).list();
        }
        return names;
    }

    private static DefinitionVersion version(ResultSet rs) throws SQLException {
        return new DefinitionVersion(rs.getInt(1), DefinitionJson.read(rs.getString(2)), rs.getString(3),
                rs.getTimestamp(4).toInstant());
    }

    private static CalculationRun run(ResultSet rs) throws SQLException {
        String trigger = rs.getString(3);
        long completed = rs.getLong(8);
        Long sizeAtCompletion = rs.wasNull() ? null : completed;
        return new CalculationRun(rs.getInt(1), rs.getInt(2), trigger == null ? null
                : CalculationTrigger.valueOf(trigger), rs.getString(4), rs.getTimestamp(5).toInstant(),
                instant(rs.getTimestamp(6)), rs.getLong(7), sizeAtCompletion, rs.getString(9));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private Audience requireAccess(long audienceId) {
        Audience audience = audiences.findById(audienceId)
                .orElseThrow(() -> AudienceService.notFound(audienceId));
        guard.requireWorkspace(audience.workspaceId(), () -> AudienceService.notFound(audienceId));
        return audience;
    }
}
