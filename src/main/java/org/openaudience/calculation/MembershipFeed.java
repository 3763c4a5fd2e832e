package org.openaudience.calculation;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What outputs read, page by page with keyset cursors so a million members never sit in memory: the complete
 * membership by MPID, and the change log by id. Change ids of an audience grow in commit order because every writer
 * of the log (calculation swap, real-time updates) holds the audience row lock. No permission checks: for background
 * delivery, whose connections were checked when they were made.
 */
@Component
public class MembershipFeed {

    private final JdbcClient jdbc;

    MembershipFeed(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Members of the complete generation with an MPID above {@code afterMpid} (from the lowest when null) and at most
     * {@code upTo} (no bound when null), by MPID.
     */
    public List<Long> members(long audienceId, Long afterMpid, Long upTo, int limit) {
        // optional bounds spelled out rather than "(? IS NULL OR mpid > ?)", which would keep MariaDB from a range scan
        return jdbc.sql("""
                        SELECT m.mpid FROM audience_member m
                        WHERE m.audience_id = :id %s %s
                        AND m.generation = (SELECT MAX(generation) FROM calculation_run
                                            WHERE audience_id = :id AND status = 'DONE')
                        ORDER BY m.mpid LIMIT :limit""".formatted(afterMpid == null ? "" : "AND m.mpid > :after",
                        upTo == null ? "" : "AND m.mpid <= :upTo"))
                .param("id", audienceId).param("after", afterMpid == null ? 0L : afterMpid)
                .param("upTo", upTo == null ? 0L : upTo).param("limit", limit)
                .query(Long.class).list();
    }

    /** Change log entries after {@code afterId} and at most {@code upTo} (no bound when null), oldest first. */
    public List<MembershipChange> changes(long audienceId, long afterId, Long upTo, int limit) {
        return jdbc.sql("""
                        SELECT id, mpid, change_type, changed_at FROM membership_change
                        WHERE audience_id = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?""")
                .params(audienceId, afterId, upTo == null ? Long.MAX_VALUE : upTo, limit)
                .query((rs, row) -> new MembershipChange(rs.getLong(1), rs.getLong(2), "ADD".equals(rs.getString(3)),
                        rs.getTimestamp(4).toInstant())).list();
    }

    /**
     * The newest change id of the audience while holding its row lock, so no change is in flight: what a new
     * connection's change cursor starts from. Call inside a transaction.
     */
    public long lockAndLastChangeId(long audienceId) {
        Optional<Long> locked = jdbc.sql("SELECT id FROM audience WHERE id = ? FOR UPDATE").param(audienceId)
                .query(Long.class).optional();
        if (locked.isEmpty()) {
            throw new IllegalStateException("Audience " + audienceId + " is gone");
        }
        // a locking read: it sees changes committed after this transaction's snapshot (REPEATABLE READ)
        return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM membership_change WHERE audience_id = ? LOCK IN SHARE MODE")
                .param(audienceId).query(Long.class).single();
    }
}
