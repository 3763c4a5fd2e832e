package org.openaudience.event;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.openaudience.base.MultiRowInsert;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The event table: batched inserts from ingestion, per-profile reads, bounded retention deletes. */
@Component
public class EventStore {

    private static final MultiRowInsert INSERT = new MultiRowInsert("INSERT INTO event (workspace_id, mpid, input_id, "
            + "batch_id, event_type, event_key, custom_event_type, platform, environment, event_time, received_at, "
            + "attributes, data)", 13, "", 1000);

    private final NamedParameterJdbcTemplate jdbc;

    EventStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Multi-row inserts of all events of a request, in the ingesting transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void insert(long workspaceId, List<NewEvent> events) {
        List<Object[]> rows = new ArrayList<>(events.size());
        for (NewEvent e : events) {
            rows.add(new Object[] {workspaceId, e.mpid(), e.inputId(), e.batchId(), e.eventType(), e.eventKey(),
                    e.customEventType(), e.platform(), e.environment(), local(e.eventTime()), local(e.receivedAt()),
                    e.attributesJson(), e.dataJson()});
        }
        INSERT.execute(jdbc.getJdbcTemplate(), rows);
    }

    /**
     * The instant as the JVM's local date-time, which is what the driver writes for a {@link Timestamp} too (and reads
     * back with {@code getTimestamp}); it encodes without a Calendar per value, which showed in the ingest profile.
     */
    private static LocalDateTime local(java.time.Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneId.systemDefault());
    }

    /** The profile's latest events, newest first. */
    @Transactional(readOnly = true)
    public List<StoredEvent> latestOfProfile(long workspaceId, long mpid, int limit) {
        return jdbc.query("""
                        SELECT * FROM event WHERE workspace_id = :workspaceId AND mpid = :mpid
                        ORDER BY event_time DESC, id DESC LIMIT :limit""",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("mpid", mpid).addValue("limit", limit),
                EventStore::map);
    }

    /** All stored events of a profile (bounded by the retention window), for explaining one user's verdict. */
    @Transactional(readOnly = true)
    public List<StoredEvent> allOfProfile(long workspaceId, long mpid) {
        return jdbc.query("SELECT * FROM event WHERE workspace_id = :workspaceId AND mpid = :mpid ORDER BY event_time",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("mpid", mpid), EventStore::map);
    }

    @Transactional(readOnly = true)
    public long countInWorkspace(long workspaceId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM event WHERE workspace_id = :workspaceId",
                new MapSqlParameterSource("workspaceId", workspaceId), Long.class);
    }

    /**
     * The distinct (event type, folded key) pairs of a workspace, read from the key index alone; the key is
     * {@code event_key_folded}, as {@link #deleteOlderThan} takes it.
     */
    @Transactional(readOnly = true)
    public List<String[]> eventKeys(long workspaceId) {
        // a skip scan: one index seek per distinct key, instead of DISTINCT reading every event of the workspace
        // (MariaDB does not choose a loose index scan here)
        List<String[]> keys = new java.util.ArrayList<>();
        List<String[]> next = jdbc.query("""
                        SELECT event_type, event_key_folded FROM event WHERE workspace_id = :workspaceId
                        ORDER BY event_type, event_key_folded LIMIT 1""",
                new MapSqlParameterSource("workspaceId", workspaceId), EventStore::key);
        while (!next.isEmpty()) {
            String[] key = next.get(0);
            keys.add(key);
            MapSqlParameterSource after = new MapSqlParameterSource("workspaceId", workspaceId)
                    .addValue("type", key[0]).addValue("key", key[1]);
            // two range seeks; one query with "type > ? OR (type = ? AND key > ?)" gets no range plan
            next = jdbc.query("""
                    SELECT event_type, event_key_folded FROM event WHERE workspace_id = :workspaceId
                    AND event_type = :type AND event_key_folded > :key ORDER BY event_key_folded LIMIT 1""", after, EventStore::key);
            if (next.isEmpty()) {
                next = jdbc.query("""
                        SELECT event_type, event_key_folded FROM event WHERE workspace_id = :workspaceId
                        AND event_type > :type ORDER BY event_type, event_key_folded LIMIT 1""", after, EventStore::key);
            }
        }
        return keys;
    }

    private static String[] key(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new String[] {rs.getString(1), rs.getString(2)};
    }

    /**
     * Deletes at most {@code limit} events of one folded key older than {@code cutoff}, through the key index, in the
     * retention sweep's transaction ({@link RetentionSweep#chunkTransactions}).
     *
     * @return how many were deleted
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int deleteOlderThan(long workspaceId, String eventType, String eventKey, long mpidFrom, long mpidTo,
                               Instant cutoff, int limit) {
        return jdbc.update("""
                        DELETE FROM event WHERE workspace_id = :workspaceId AND event_type = :type
                        AND event_key_folded = :key AND mpid BETWEEN :from AND :to AND event_time < :cutoff
                        LIMIT :limit""",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("type", eventType)
                        .addValue("key", eventKey).addValue("from", mpidFrom).addValue("to", mpidTo)
                        .addValue("cutoff", Timestamp.from(cutoff)).addValue("limit", limit));
    }

    /**
     * Deletes at most {@code limit} raw batches (the journal of what was received) received before {@code cutoff}.
     *
     * @return how many were deleted
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int deleteBatchesReceivedBefore(long workspaceId, Instant cutoff, int limit) {
        return jdbc.update("DELETE FROM ingest_batch WHERE workspace_id = :workspaceId AND received_at < :cutoff"
                        + " LIMIT :limit",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("cutoff", Timestamp.from(cutoff))
                        .addValue("limit", limit));
    }

    private static StoredEvent map(ResultSet rs, int row) throws SQLException {
        return new StoredEvent(rs.getLong("id"), rs.getLong("mpid"), rs.getLong("input_id"),
                rs.getString("event_type"), rs.getString("event_key"), rs.getString("custom_event_type"),
                rs.getString("platform"), rs.getString("environment"), rs.getTimestamp("event_time").toInstant(),
                rs.getTimestamp("received_at").toInstant(), rs.getString("attributes"), rs.getString("data"));
    }
}
