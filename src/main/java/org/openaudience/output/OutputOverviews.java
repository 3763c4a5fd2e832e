package org.openaudience.output;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.openaudience.base.NotFoundException;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A workspace's outputs as the REST API lists them ({@link OutputOverview}): for everyone who may connect
 * audiences, since they need the ids; destinations only for those who manage outputs; never a secret.
 */
@Service
public class OutputOverviews {

    private static final String SELECT = "SELECT o.id, o.workspace_id, o.name, o.kind, o.url, o.folder,"
            + " (SELECT COUNT(DISTINCT c.audience_id) FROM output_connection c WHERE c.output_id = o.id) AS audiences"
            + " FROM output o";

    private final OutputRepository outputs;
    private final AccessGuard guard;
    private final JdbcClient jdbc;

    OutputOverviews(OutputRepository outputs, AccessGuard guard, JdbcClient jdbc) {
        this.outputs = outputs;
        this.guard = guard;
        this.jdbc = jdbc;
    }

    /** By name, from exactly {@code offset}. */
    @Transactional(readOnly = true)
    public List<OutputOverview> page(long workspaceId, int offset, int limit) {
        MemberAccess member = guard.require(Capability.CONNECT_AUDIENCES, workspaceId);
        return jdbc.sql(SELECT + " WHERE o.workspace_id = ? ORDER BY o.name, o.id LIMIT ? OFFSET ?")
                .params(workspaceId, Math.max(1, limit), Math.max(0, offset))
                .query((rs, row) -> overview(rs, member)).list();
    }

    @Transactional(readOnly = true)
    public long count(long workspaceId) {
        guard.require(Capability.CONNECT_AUDIENCES, workspaceId);
        return outputs.countByWorkspaceId(workspaceId);
    }

    /** One output as {@link #page} shows it; one of a workspace the member may not use does not exist for them. */
    @Transactional(readOnly = true)
    public OutputOverview overview(long outputId) {
        Output output = outputs.findById(outputId).orElseThrow(() -> noOutput(outputId));
        MemberAccess member = guard.require(Capability.CONNECT_AUDIENCES, output.workspaceId(),
                () -> noOutput(outputId));
        return jdbc.sql(SELECT + " WHERE o.id = ?").param(outputId).query((rs, row) -> overview(rs, member))
                .optional().orElseThrow(() -> noOutput(outputId));
    }

    private static OutputOverview overview(ResultSet rs, MemberAccess member) throws SQLException {
        OutputKind kind = OutputKind.valueOf(rs.getString("kind"));
        String destination = member.can(Capability.MANAGE_OUTPUTS)
                ? Output.shortDestination(kind, rs.getString("url"), rs.getString("folder")) : null;
        return new OutputOverview(rs.getLong("id"), rs.getLong("workspace_id"), rs.getString("name"), kind,
                destination, rs.getInt("audiences"));
    }

    /** The same answer as {@link OutputService} gives for a missing output. */
    private static NotFoundException noOutput(long outputId) {
        return new NotFoundException("Output " + outputId + " does not exist, or it is in a workspace you cannot use.");
    }
}
