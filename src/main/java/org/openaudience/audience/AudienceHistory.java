package org.openaudience.audience;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.security.AccessGuard;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** An audience's past: every saved definition version and every calculation run, newest first. */
@Service
public class AudienceHistory {

    private final AudienceRepository audiences;
    private final AccessGuard guard;
    private final JdbcClient jdbc;

    AudienceHistory(AudienceRepository audiences, AccessGuard guard, JdbcClient jdbc) {
        this.audiences = audiences;
        this.guard = guard;
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public List<DefinitionVersion> versions(long audienceId) {
        requireAccess(audienceId);
        return jdbc.sql("""
                        SELECT definition_version, definition_json, saved_by, saved_at
                        FROM audience_definition_version WHERE audience_id = ? ORDER BY definition_version DESC""")
                .param(audienceId)
                .query((rs, row) -> new DefinitionVersion(rs.getInt(1), DefinitionJson.read(rs.getString(2)),
                        rs.getString(3), rs.getTimestamp(4).toInstant()))
                .list();
    }

    @Transactional(readOnly = true)
    public List<CalculationRun> runs(long audienceId) {
        requireAccess(audienceId);
        return jdbc.sql("""
                        SELECT generation, definition_version, status, started_at, finished_at, size, error
                        FROM calculation_run WHERE audience_id = ? ORDER BY generation DESC""")
                .param(audienceId)
                .query((rs, row) -> new CalculationRun(rs.getInt(1), rs.getInt(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), instant(rs.getTimestamp(5)), rs.getLong(6), rs.getString(7)))
                .list();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private void requireAccess(long audienceId) {
        Audience audience = audiences.findById(audienceId)
                .orElseThrow(() -> AudienceService.notFound(audienceId));
        guard.requireWorkspace(audience.workspaceId(), () -> AudienceService.notFound(audienceId));
    }
}
