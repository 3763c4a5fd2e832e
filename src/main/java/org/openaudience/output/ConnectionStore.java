package org.openaudience.output;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The output_connection table. Delivery updates touch only cursor and outcome columns, and people only status, so a
 * Pause clicked while a batch is in flight neither loses the batch's progress nor is overwritten by it.
 */
@Component
class ConnectionStore {

    private static final String SELECT = """
            SELECT c.*, a.name AS audience_name, a.external_name AS audience_external_name,
                   o.name AS output_name, o.kind AS output_kind,
                   CASE WHEN c.variation = 0 THEN 'Control' WHEN c.variation > 0 THEN v.name END AS variation_name
            FROM output_connection c
            JOIN audience a ON a.id = c.audience_id
            JOIN output o ON o.id = c.output_id
            LEFT JOIN ab_variation v ON v.audience_id = c.audience_id AND v.position = c.variation
            """;
    private final JdbcClient jdbc;

    ConnectionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(long workspaceId, long audienceId, Integer variation, long outputId, List<String> identityTypes,
                long changeAfterId, String by, Instant now) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO output_connection (workspace_id, audience_id, variation, ab_test_audience_id,
                            output_id, identity_types, status, phase, snapshot_after_mpid, change_after_id,
                            next_attempt_at, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, 'SENDING', 'SNAPSHOT', NULL, ?, ?, ?, ?)""")
                .params(workspaceId, audienceId, variation == null ? -1 : variation,
                        variation == null ? null : audienceId, outputId, String.join(",", identityTypes),
                        changeAfterId, Timestamp.from(now), by, Timestamp.from(now))
                .update(keys);
        return keys.getKey().longValue();
    }

    boolean exists(long audienceId, Integer variation, long outputId) {
        return jdbc.sql("SELECT COUNT(*) FROM output_connection WHERE audience_id = ? AND variation = ?"
                        + " AND output_id = ?").params(audienceId, variation == null ? -1 : variation, outputId)
                .query(Long.class).single() > 0;
    }

    Optional<Connection> connection(long id) {
        return jdbc.sql(SELECT + " WHERE c.id = ?").param(id).query(ConnectionStore::connection)
                .optional().map(this::withBacklog);
    }

    List<Connection> ofAudience(long audienceId) {
        return jdbc.sql(SELECT + " WHERE c.audience_id = ? ORDER BY c.variation, o.name")
                .param(audienceId).query(ConnectionStore::connection).list().stream().map(this::withBacklog).toList();
    }

    /** The output's connections of other audiences than this one (without their backlogs). */
    List<Connection> toOutputExcept(long outputId, long audienceId) {
        return jdbc.sql(SELECT + " WHERE c.output_id = ? AND c.audience_id <> ? ORDER BY a.name, c.variation")
                .params(outputId, audienceId).query(ConnectionStore::connection).list();
    }

    /** Counts the change log entries after the cursor, up to {@link Connection#MAX_COUNTED_BACKLOG}. */
    private Connection withBacklog(Connection connection) {
        long waiting = jdbc.sql("""
                        SELECT COUNT(*) FROM (SELECT 1 FROM membership_change m, output_connection c
                            WHERE c.id = ? AND m.audience_id = c.audience_id AND m.id > c.change_after_id
                            LIMIT ?) waiting""").params(connection.id(), Connection.MAX_COUNTED_BACKLOG).query(Long.class).single();
        return connection.withChangesWaiting(waiting);
    }

    Optional<DeliveryState> state(long id) {
        return jdbc.sql(SELECT + " WHERE c.id = ?").param(id).query(ConnectionStore::state)
                .optional();
    }

    /**
     * Sending connections whose next attempt is due and that have something to send (current members still, or
     * changes after their cursor), least recently tried first.
     */
    List<Long> due(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT c.id FROM output_connection c
                        WHERE c.status = 'SENDING' AND c.next_attempt_at <= ?
                        AND (c.phase = 'SNAPSHOT' OR EXISTS (SELECT 1 FROM membership_change m
                             WHERE m.audience_id = c.audience_id AND m.id > c.change_after_id))
                        ORDER BY c.next_attempt_at LIMIT ?""").params(Timestamp.from(now), limit)
                .query(Long.class).list();
    }

    Map<Long, Integer> countsByAudience(long workspaceId, Collection<Long> audienceIds) {
        Map<Long, Integer> counts = new HashMap<>();
        if (!audienceIds.isEmpty()) {
            jdbc.sql("SELECT audience_id, COUNT(*) FROM output_connection WHERE workspace_id = :workspaceId"
                            + " AND audience_id IN (:ids) GROUP BY audience_id")
                    .param("workspaceId", workspaceId).param("ids", audienceIds)
                    .query((rs, row) -> counts.put(rs.getLong(1), rs.getInt(2))).list();
        }
        return counts;
    }

    /**
     * Pins the range of the batch about to be attempted, so retries cover exactly it. Only when nothing is pinned and
     * no other attempt moved the connection meanwhile; false otherwise.
     */
    boolean pin(DeliveryState state, long end) {
        return jdbc.sql("UPDATE output_connection SET pending_to = ? WHERE id = ? AND pending_to IS NULL"
                        + " AND batches_sent = ? AND change_after_id = ?")
                .params(end, state.id(), state.batchesSent(), state.changeAfterId()).update() == 1;
    }

    /**
     * Moves the cursors after a delivered batch (or past entries the variation filter skipped), unpins, and puts the
     * connection at the back of the due queue. Only when no other attempt moved them meanwhile; false otherwise.
     */
    boolean advance(DeliveryState state, DeliveryPhase phase, Long snapshotAfterMpid, long changeAfterId,
                    Delivery delivered, Instant now) {
        boolean sent = delivered != null;
        return jdbc.sql("""
                        UPDATE output_connection SET phase = ?, snapshot_after_mpid = ?, change_after_id = ?,
                            pending_to = NULL, next_attempt_at = ?,
                            failed_attempts = CASE WHEN ? THEN 0 ELSE failed_attempts END,
                            last_delivery_at = CASE WHEN ? THEN ? ELSE last_delivery_at END,
                            delivered_adds = delivered_adds + ?, delivered_removes = delivered_removes + ?,
                            batches_sent = batches_sent + ?
                        WHERE id = ? AND batches_sent = ? AND change_after_id = ?""")
                .params(phase.name(), snapshotAfterMpid, changeAfterId, Timestamp.from(now), sent, sent,
                        Timestamp.from(now), sent ? delivered.adds() : 0, sent ? delivered.removes() : 0,
                        sent ? 1 : 0, state.id(), state.batchesSent(), state.changeAfterId())
                .update() == 1;
    }

    /** Records a failed attempt; the connection turns Faulted when it reaches the output's limit. */
    void recordFailure(long id, String reason, int maxAttempts, Instant now, Instant nextAttempt) {
        // status first: it must see failed_attempts before this attempt is added
        jdbc.sql("""
                        UPDATE output_connection SET
                            status = CASE WHEN status = 'SENDING' AND failed_attempts + 1 >= ? THEN 'FAULTED'
                                          ELSE status END,
                            failed_attempts = failed_attempts + 1, last_error = ?, last_error_at = ?,
                            next_attempt_at = ?
                        WHERE id = ?""")
                .params(maxAttempts, abbreviate(reason), Timestamp.from(now), Timestamp.from(nextAttempt), id)
                .update();
    }

    /** Sets a person's status choice; Sending makes the connection due at once and starts its failure count over. */
    boolean setStatus(long id, ConnectionStatus status, Instant now) {
        return jdbc.sql("""
                        UPDATE output_connection SET status = ?,
                            failed_attempts = CASE WHEN ? = 'SENDING' THEN 0 ELSE failed_attempts END,
                            next_attempt_at = CASE WHEN ? = 'SENDING' THEN ? ELSE next_attempt_at END
                        WHERE id = ?""")
                .params(status.name(), status.name(), status.name(), Timestamp.from(now), id).update() == 1;
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM output_connection WHERE id = ?").param(id).update() == 1;
    }

    private static String abbreviate(String reason) {
        String text = reason == null ? "Unknown error" : reason;
        return text.length() <= 1000 ? text : text.substring(0, 999) + "…";
    }

    private static DeliveryState state(ResultSet rs, int row) throws SQLException {
        Long snapshotAfterMpid = nullableLong(rs, "snapshot_after_mpid");
        return new DeliveryState(rs.getLong("id"), rs.getLong("workspace_id"), rs.getLong("audience_id"),
                rs.getString("audience_name"), rs.getString("audience_external_name"), variation(rs),
                rs.getString("variation_name"), rs.getLong("output_id"), types(rs),
                ConnectionStatus.valueOf(rs.getString("status")), DeliveryPhase.valueOf(rs.getString("phase")),
                snapshotAfterMpid, rs.getLong("change_after_id"), nullableLong(rs, "pending_to"),
                rs.getInt("failed_attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(), rs.getLong("batches_sent"));
    }

    private static Connection connection(ResultSet rs, int row) throws SQLException {
        String variationName = rs.getString("variation_name");
        return new Connection(rs.getLong("id"), rs.getLong("workspace_id"), rs.getLong("audience_id"),
                rs.getString("audience_name"), variation(rs), variationName,
                Connection.externalName(rs.getString("audience_external_name"), variationName),
                rs.getLong("output_id"), rs.getString("output_name"), OutputKind.valueOf(rs.getString("output_kind")),
                types(rs), ConnectionStatus.valueOf(rs.getString("status")),
                DeliveryPhase.valueOf(rs.getString("phase")), rs.getInt("failed_attempts"),
                rs.getString("last_error"), instant(rs, "last_error_at"), instant(rs, "last_delivery_at"),
                rs.getLong("delivered_adds"), rs.getLong("delivered_removes"),
                0,
                rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer variation(ResultSet rs) throws SQLException {
        int variation = rs.getInt("variation");
        return variation < 0 ? null : variation;
    }

    private static List<String> types(ResultSet rs) throws SQLException {
        String types = rs.getString("identity_types");
        return types.isEmpty() ? List.of() : Arrays.asList(types.split(","));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
