package org.openaudience.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openaudience.base.MultiRowInsert;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Keeps every accepted batch as received; its unique source_request_id makes a resend a no-op. */
@Repository
class BatchJournal {

    private static final MultiRowInsert INSERT = new MultiRowInsert("INSERT INTO ingest_batch (workspace_id, "
            + "input_id, mpid, source_request_id, received_at, raw_json)", 6, "", 100);

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    BatchJournal(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /** A batch to journal. */
    record Entry(long mpid, String sourceRequestId, String rawJson) {
    }

    /** Appends the batches with one multi-row insert; returns their ids in order. */
    List<Long> append(long workspaceId, long inputId, Instant receivedAt, List<Entry> entries) {
        Timestamp received = Timestamp.from(receivedAt);
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            rows.add(new Object[] {workspaceId, inputId, entry.mpid(), entry.sourceRequestId(), received,
                    entry.rawJson()});
        }
        return INSERT.executeReturningKeys(jdbc, rows, autoIncrement().consecutive(), autoIncrement().increment());
    }

    private record AutoIncrement(boolean consecutive, int increment) {
    }

    private volatile AutoIncrement autoIncrement;

    /** The server's auto-increment settings, read once (they need a restart to change). */
    private AutoIncrement autoIncrement() {
        if (autoIncrement == null) {
            autoIncrement = jdbc.queryForObject("SELECT @@innodb_autoinc_lock_mode, @@auto_increment_increment",
                    (rs, row) -> new AutoIncrement(rs.getInt(1) < 2, rs.getInt(2)));
            if (!autoIncrement.consecutive()) {
                org.slf4j.LoggerFactory.getLogger(BatchJournal.class).warn("innodb_autoinc_lock_mode=2: batches are "
                        + "journaled row by row, which is slower; lock mode 1 (MariaDB's default) is faster");
            }
        }
        return autoIncrement;
    }

    /** Which of these source_request_ids were accepted before. */
    Set<String> alreadyAccepted(long inputId, Collection<String> sourceRequestIds) {
        if (sourceRequestIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(named.queryForList("""
                        SELECT source_request_id FROM ingest_batch
                        WHERE input_id = :inputId AND source_request_id IN (:ids)""",
                new MapSqlParameterSource("inputId", inputId).addValue("ids", sourceRequestIds),
                String.class));
    }
}
