package org.openaudience.audience;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.openaudience.profile.Identity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads an audience's membership change log for people (the Changes tab): the newest entries with the users'
 * identities, and the adds and drops per hour. No permission checks: {@link MembershipChanges} and
 * {@link MembershipChangeHub} check who asks.
 */
@Component
class MembershipChangeLog {

    /** Identity types shown first; the others follow by name. */
    private static final List<String> FIRST = List.of("customer_id", "email");

    private final JdbcClient jdbc;

    MembershipChangeLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Entries read newest first, and how many older ones past the limit were not read, by kind. */
    record Batch(List<MembershipChangeRow> rows, long lastId, long notShownAdds, long notShownDrops) {
    }

    /** The id of the audience's newest entry, 0 when it has none (ids grow in commit order per audience). */
    long lastId(long audienceId) {
        return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM membership_change WHERE audience_id = ?")
                .param(audienceId).query(Long.class).single();
    }

    /** The newest {@code limit} entries, oldest first, without identities. */
    List<MembershipChangeRow> latest(long audienceId, int limit) {
        List<MembershipChangeRow> rows = new ArrayList<>(jdbc.sql("""
                        SELECT id, mpid, change_type, cause, changed_at FROM membership_change
                        WHERE audience_id = ? ORDER BY id DESC LIMIT ?""")
                .params(audienceId, limit).query(MembershipChangeLog::row).list());
        Collections.reverse(rows);
        return rows;
    }

    /**
     * The newest {@code limit} entries after {@code afterId}, oldest first (ix_membership_change_cursor, read
     * backwards), and counts of the older ones after {@code afterId} that did not fit.
     */
    Batch after(long audienceId, long afterId, int limit) {
        List<MembershipChangeRow> rows = new ArrayList<>(jdbc.sql("""
                        SELECT id, mpid, change_type, cause, changed_at FROM membership_change
                        WHERE audience_id = ? AND id > ? ORDER BY id DESC LIMIT ?""")
                .params(audienceId, afterId, limit + 1).query(MembershipChangeLog::row).list());
        if (rows.isEmpty()) {
            return new Batch(List.of(), afterId, 0, 0);
        }
        long lastId = rows.get(0).id();
        long adds = 0;
        long drops = 0;
        if (rows.size() > limit) {
            rows.remove(limit);
            Map<String, Long> counts = new HashMap<>();
            jdbc.sql("SELECT change_type, COUNT(*) FROM membership_change WHERE audience_id = ? AND id > ? AND id < ?"
                            + " GROUP BY change_type")
                    .params(audienceId, afterId, rows.get(rows.size() - 1).id())
                    .query((rs, row) -> counts.put(rs.getString(1), rs.getLong(2))).list();
            adds = counts.getOrDefault("ADD", 0L);
            drops = counts.getOrDefault("REMOVE", 0L);
        }
        Collections.reverse(rows);
        return new Batch(rows, lastId, adds, drops);
    }

    /** The rows with their users' identities (one query), customer id and email first. */
    List<MembershipChangeRow> withIdentities(long workspaceId, List<MembershipChangeRow> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<Long, List<Identity>> byMpid = new HashMap<>();
        jdbc.sql("""
                        SELECT mpid, identity_type, identity_value FROM profile_identity
                        WHERE workspace_id = :workspaceId AND mpid IN (:mpids)""")
                .param("workspaceId", workspaceId)
                .param("mpids", new LinkedHashSet<>(rows.stream().map(MembershipChangeRow::mpid).toList()))
                .query((ResultSet rs) -> {
                    byMpid.computeIfAbsent(rs.getLong(1), mpid -> new ArrayList<>())
                            .add(new Identity(rs.getString(2), rs.getString(3)));
                });
        Comparator<Identity> order = Comparator.comparingInt((Identity identity) -> {
            int first = FIRST.indexOf(identity.type());
            return first < 0 ? FIRST.size() : first;
        }).thenComparing(Identity::type).thenComparing(Identity::value);
        return rows.stream().map(row -> new MembershipChangeRow(row.id(), row.changedAt(), row.mpid(), row.added(),
                row.cause(), byMpid.getOrDefault(row.mpid(), List.of()).stream().sorted(order).toList(), false))
                .toList();
    }

    /**
     * Adds and drops per hour in [{@code start}, {@code start} + {@code hours}): from the hourly counts
     * ({@code membership_change_hour}, at most one row per hour) when {@code start} falls on a stored hour, as it does
     * in whole-hour time zones; otherwise one grouped range read of the log's (audience, time, kind) index. The
     * condition on the start is constant, so the database reads only one of the two.
     */
    HourlyChanges hourly(long audienceId, Instant start, int hours) {
        long[] adds = new long[hours];
        long[] drops = new long[hours];
        // hours counted from the start in SQL, so the database's and the JVM's time zones do not matter
        jdbc.sql("""
                        SELECT FLOOR(TIMESTAMPDIFF(SECOND, :start, hour_start) / 3600) AS hour, SUM(adds), SUM(drops)
                        FROM membership_change_hour
                        WHERE audience_id = :id AND hour_start >= :start AND hour_start < :end
                          AND DATE_FORMAT(:start, '%i%s%f') = '0000000000'
                        GROUP BY hour
                        UNION ALL
                        SELECT FLOOR(TIMESTAMPDIFF(SECOND, :start, changed_at) / 3600) AS hour,
                               SUM(change_type = 'ADD'), SUM(change_type = 'REMOVE')
                        FROM membership_change
                        WHERE audience_id = :id AND changed_at >= :start AND changed_at < :end
                          AND DATE_FORMAT(:start, '%i%s%f') <> '0000000000'
                        GROUP BY hour""")
                .param("id", audienceId).param("start", Timestamp.from(start))
                .param("end", Timestamp.from(start.plus(Duration.ofHours(hours))))
                .query((ResultSet rs) -> {
                    int hour = rs.getInt(1);
                    if (hour >= 0 && hour < hours) {
                        adds[hour] += rs.getLong(2);
                        drops[hour] += rs.getLong(3);
                    }
                });
        return new HourlyChanges(start, adds, drops);
    }

    private static MembershipChangeRow row(ResultSet rs, int row) throws SQLException {
        return new MembershipChangeRow(rs.getLong(1), rs.getTimestamp(5).toInstant(), rs.getLong(2),
                "ADD".equals(rs.getString(3)), rs.getString(4), List.of(), false);
    }
}
