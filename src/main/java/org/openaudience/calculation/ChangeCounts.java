package org.openaudience.calculation;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Adds and drops per audience and hour ({@code membership_change_hour}) and per write moment
 * ({@code membership_change_moment}, the last days only), kept beside the membership change log so "adds and drops
 * in the last 24 hours" costs at most 25 hour rows plus the moments of the part-hour at the window's start, however
 * many changes a full calculation logged: its swap logs them all at one moment. Every writer of
 * {@code membership_change} adds its counts here in the same transaction; the upserts add to what is there, so
 * writers on the same hour or moment lose nothing.
 *
 * <p>Hours are those of the stored {@code changed_at} values ({@code DATETIME}), floored in SQL: the database and
 * the JVM may disagree on time zones, the counts and the log never do.
 */
@Component
public class ChangeCounts {

    /** The hour a stored change time falls in, as SQL over a {@code DATETIME} expression. */
    static String hourOf(String datetime) {
        return "DATE_FORMAT(" + datetime + ", '%Y-%m-%d %H:00:00')";
    }

    /** Moments older than this are deleted as the audience's next changes are counted. */
    static final Duration MOMENTS_KEPT = Duration.ofDays(3);
    /** Windows starting within this of now read their part-hour from the moments, older ones from the log. */
    static final Duration MOMENTS_USED = Duration.ofDays(2);

    private final JdbcClient jdbc;
    private final Clock clock;

    ChangeCounts(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Counts changes logged with {@code changedAt} (the very value written to {@code membership_change}); call it
     * in the transaction that writes them.
     */
    public void add(long audienceId, Timestamp changedAt, long adds, long drops) {
        if (adds == 0 && drops == 0) {
            return;
        }
        jdbc.sql("INSERT INTO membership_change_hour (audience_id, hour_start, adds, drops) VALUES (?, "
                        + hourOf("CAST(? AS DATETIME(6))") + ", ?, ?)"
                        + " ON DUPLICATE KEY UPDATE adds = adds + VALUES(adds), drops = drops + VALUES(drops)")
                .params(audienceId, changedAt, adds, drops).update();
        jdbc.sql("INSERT INTO membership_change_moment (audience_id, changed_at, adds, drops) VALUES (?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE adds = adds + VALUES(adds), drops = drops + VALUES(drops)")
                .params(audienceId, changedAt, adds, drops).update();
        jdbc.sql("DELETE FROM membership_change_moment WHERE audience_id = ? AND changed_at < ?")
                .params(audienceId, Timestamp.from(clock.instant().minus(MOMENTS_KEPT))).update();
    }

    /**
     * Adds and drops logged at or after {@code since}, per audience (audiences without any are absent): exactly
     * what counting the log would give. The hours that start at or after {@code since} come from the hour counts;
     * the part-hour before the first of them from the moments (a recent window) or the log's (audience, time, kind)
     * index (an older one).
     */
    public Map<Long, long[]> since(Collection<Long> audienceIds, Instant since) {
        Map<Long, long[]> counts = new HashMap<>();
        if (audienceIds.isEmpty()) {
            return counts;
        }
        // whole microseconds, as DATETIME(6) keeps them; the first hour boundary at or after since, in SQL
        Timestamp from = Timestamp.from(since.truncatedTo(ChronoUnit.MICROS));
        String firstHour = hourOf("CAST(:since AS DATETIME(6)) - INTERVAL 1 MICROSECOND") + " + INTERVAL 1 HOUR";
        String partHour = since.isBefore(clock.instant().minus(MOMENTS_USED))
                ? """
                        SELECT audience_id, SUM(change_type = 'ADD'), SUM(change_type = 'REMOVE')
                        FROM membership_change
                        WHERE audience_id IN (:ids) AND changed_at >= :since AND changed_at < %s
                        GROUP BY audience_id"""
                : """
                        SELECT audience_id, adds, drops FROM membership_change_moment
                        WHERE audience_id IN (:ids) AND changed_at >= :since AND changed_at < %s""";
        jdbc.sql("""
                        SELECT audience_id, SUM(adds), SUM(drops) FROM (
                            SELECT audience_id, adds, drops FROM membership_change_hour
                            WHERE audience_id IN (:ids) AND hour_start >= :since
                            UNION ALL
                            %s
                        ) c GROUP BY audience_id""".formatted(partHour.formatted(firstHour)))
                .param("ids", audienceIds).param("since", from)
                .query((ResultSet rs) -> {
                    counts.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
                });
        return counts;
    }
}
