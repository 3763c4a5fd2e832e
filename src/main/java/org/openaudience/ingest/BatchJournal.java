package org.openaudience.ingest;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.OptionalLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Keeps every accepted batch as received; its unique source_request_id makes a resend a no-op. */
@Repository
class BatchJournal {

    private final JdbcTemplate jdbc;

    BatchJournal(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the new batch's id, or empty when a batch with the same source_request_id was accepted before */
    OptionalLong append(long workspaceId, long inputId, long mpid, String sourceRequestId, Instant receivedAt,
                        String rawJson) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        int inserted = jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    INSERT IGNORE INTO ingest_batch (workspace_id, input_id, mpid, source_request_id, received_at,
                                                     raw_json)
                    VALUES (?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS);
            statement.setLong(1, workspaceId);
            statement.setLong(2, inputId);
            statement.setLong(3, mpid);
            statement.setString(4, sourceRequestId);
            statement.setTimestamp(5, Timestamp.from(receivedAt));
            statement.setString(6, rawJson);
            return statement;
        }, key);
        return inserted == 0 ? OptionalLong.empty() : OptionalLong.of(key.getKey().longValue());
    }

    boolean contains(long workspaceId, String sourceRequestId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM ingest_batch WHERE workspace_id = ? AND source_request_id = ?)",
                Boolean.class, workspaceId, sourceRequestId));
    }
}
