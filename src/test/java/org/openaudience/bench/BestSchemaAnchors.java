package org.openaudience.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.openaudience.criteria.ProfileScope;
import org.openaudience.criteria.TextRule;

/**
 * The best hand-written MariaDB queries per benchmark audience on the best schema we know: the case-folded
 * {@code destination} value indexed as (workspace, type, key, value, MPID, time) and the profile's {@code status} as
 * (workspace, value) — the attribute indexes the app builds on demand, whose column names are passed in. Each
 * formulation runs once in one shot and once as 64 MPID ranges like the engine (one statement per range, counts
 * summed); the median of its warm runs counts ({@link WarmRuns}). A calculation also stores its members, which a {@code SELECT} does
 * not: {@link #stored} times the best formulation writing its result into a table shaped like {@code audience_member},
 * the floor for any calculation on this schema.
 */
final class BestSchemaAnchors {

    /** A formulation; {@code range} gives the MPID condition of a table alias ("" for one shot). */
    record Formulation(String label, Function<Function<String, String>, String> sql, List<Object> parameters) {
    }

    /** Warm milliseconds of the best formulation in one shot and in 64 ranges, with the rows found. */
    record Result(String oneShotBest, double oneShotMillis, String rangedBest, double rangedMillis, long rows,
                  List<String> tried) {

        double best() {
            return Math.min(oneShotMillis, rangedMillis);
        }
    }

    private final DataSource dataSource;
    private final long workspaceId;
    private final Instant now;
    private final String destination;
    private final String status;

    BestSchemaAnchors(DataSource dataSource, long workspaceId, Instant now, String destinationColumn,
                      String statusColumn) {
        this.dataSource = dataSource;
        this.workspaceId = workspaceId;
        this.now = now;
        this.destination = destinationColumn;
        this.status = statusColumn;
    }

    private String events(String a, List<Object> p, String type, String key, int days) {
        p.add(workspaceId);
        p.add(type);
        p.add(TextRule.fold(key));
        p.add(Timestamp.from(now.minus(Duration.ofDays(days))));
        p.add(Timestamp.from(now.plusMillis(1)));
        return a + ".workspace_id = ? AND " + a + ".event_type = ? AND " + a + ".event_key_folded = ? AND " + a
                + ".event_time >= ? AND " + a + ".event_time < ?";
    }

    /** Formulations per audience, in the order of {@link BenchAudiences#issueAudiences()}. */
    List<List<Formulation>> formulations() {
        List<List<Formulation>> all = new ArrayList<>();
        List<Object> p1 = new ArrayList<>();
        String paris1 = events("e", p1, "custom_event", "Play Video", 30);
        all.add(List.of(new Formulation("distinct on the value index", r -> "SELECT DISTINCT e.mpid FROM event e WHERE "
                + paris1 + " AND e." + destination + " = 'paris'" + r.apply("e"), p1)));

        List<Object> p2a = new ArrayList<>();
        String paris2a = events("e", p2a, "custom_event", "Play Video", 30);
        p2a.add(workspaceId);
        List<Object> p2b = new ArrayList<>();
        p2b.add(workspaceId);
        String paris2b = events("e", p2b, "custom_event", "Play Video", 30);
        List<Object> p2c = new ArrayList<>();
        String paris2c = events("e", p2c, "custom_event", "Play Video", 30);
        p2c.add(workspaceId);
        all.add(List.of(
                new Formulation("distinct viewers, then status lookup", r -> "SELECT v.mpid FROM (SELECT DISTINCT"
                        + " e.mpid FROM event e WHERE " + paris2c + " AND e." + destination + " = 'paris'"
                        + r.apply("e") + ") v" + statusLookup("s", "'premium'", "v")
                        + " WHERE IFNULL(s.mpid IS NOT NULL, 0)", p2c),
                new Formulation("distinct viewers, then profile", r -> "SELECT v.mpid FROM (SELECT DISTINCT e.mpid"
                        + " FROM event e WHERE " + paris2a + " AND e." + destination + " = 'paris'" + r.apply("e")
                        + ") v JOIN profile p ON p.workspace_id = ? AND p.mpid = v.mpid WHERE p." + status
                        + " = 'premium'", p2a),
                new Formulation("premium profiles, then EXISTS", r -> "SELECT p.mpid FROM profile p WHERE"
                        + " p.workspace_id = ? AND p." + status + " = 'premium'" + r.apply("p")
                        + " AND EXISTS (SELECT 1 FROM event e WHERE " + paris2b + " AND e." + destination
                        + " = 'paris' AND e.mpid = p.mpid)", p2b)));

        List<Object> p3 = new ArrayList<>();
        String cart = events("c", p3, "commerce_event", "add_to_cart", 7);
        String purchase = events("b", p3, "commerce_event", "purchase", 7);
        all.add(List.of(new Formulation("anti-join of two sets", r -> "SELECT c.mpid FROM (SELECT DISTINCT c.mpid FROM"
                + " event c WHERE " + cart + r.apply("c") + ") c LEFT JOIN (SELECT DISTINCT b.mpid FROM event b WHERE "
                + purchase + r.apply("b") + ") b ON b.mpid = c.mpid WHERE b.mpid IS NULL", p3)));

        List<Object> p4 = new ArrayList<>();
        String video = events("e", p4, "custom_event", "Play Video", 30);
        all.add(List.of(new Formulation("group by, having", r -> "SELECT e.mpid FROM event e WHERE " + video
                + r.apply("e") + " GROUP BY e.mpid HAVING COUNT(*) >= 5", p4)));

        List<Object> p5a = new ArrayList<>();
        String paris5 = events("e", p5a, "custom_event", "Play Video", 30);
        String search5 = events("s", p5a, "custom_event", "Search", 14);
        p5a.add(workspaceId);
        List<Object> p5b = new ArrayList<>();
        p5b.add(workspaceId);
        String paris5b = events("e", p5b, "custom_event", "Play Video", 30);
        String search5b = events("s", p5b, "custom_event", "Search", 14);
        String ios = "JSON_SEARCH(LOWER(JSON_KEYS(p.platforms)), 'one', 'ios') IS NOT NULL";
        List<Object> p5c = new ArrayList<>();
        String paris5c = events("e", p5c, "custom_event", "Play Video", 30);
        String search5c = events("s", p5c, "custom_event", "Search", 14);
        p5c.add(workspaceId);
        p5c.add(workspaceId);
        all.add(List.of(
                new Formulation("union, then status lookup and profile join", r -> "SELECT p.mpid FROM (SELECT e.mpid"
                        + " FROM event e WHERE " + paris5c + " AND e." + destination + " = 'paris'" + r.apply("e")
                        + " UNION SELECT s.mpid FROM event s WHERE " + search5c + r.apply("s") + " GROUP BY s.mpid"
                        + " HAVING COUNT(*) >= 3) u STRAIGHT_JOIN profile p ON p.workspace_id = ? AND p.mpid = u.mpid"
                        + statusLookup("f", "'free'", "u") + " WHERE " + ios + " AND f.mpid IS NULL", p5c),
                new Formulation("union, then profile join", r -> "SELECT p.mpid FROM (SELECT e.mpid FROM event e WHERE "
                        + paris5 + " AND e." + destination + " = 'paris'" + r.apply("e") + " UNION SELECT s.mpid FROM"
                        + " event s WHERE " + search5 + r.apply("s") + " GROUP BY s.mpid HAVING COUNT(*) >= 3) u"
                        + " JOIN profile p ON p.workspace_id = ? AND p.mpid = u.mpid WHERE " + ios + " AND NOT IFNULL(p."
                        + status + " = 'free', 0)", p5a),
                new Formulation("profiles first, then indexed checks", r -> "SELECT p.mpid FROM profile p WHERE"
                        + " p.workspace_id = ?" + r.apply("p") + " AND NOT IFNULL(p." + status + " = 'free', 0) AND "
                        + ios + " AND (EXISTS (SELECT 1 FROM event e WHERE " + paris5b + " AND e." + destination
                        + " = 'paris' AND e.mpid = p.mpid) OR (SELECT COUNT(*) FROM event s WHERE " + search5b
                        + " AND s.mpid = p.mpid) >= 3)", p5b)));
        return all;
    }

    /** A LEFT JOIN finding {@code alias}'s MPID in the status index with the value; binds the workspace. */
    private String statusLookup(String alias, String value, String joinedTo) {
        return " LEFT JOIN profile " + alias + " FORCE INDEX (ix_" + status + ") ON " + alias + ".workspace_id = ? AND "
                + alias + "." + status + " = " + value + " AND " + alias + ".mpid = " + joinedTo + ".mpid";
    }

    Result run(List<Formulation> formulations, long mpidMin, long mpidMax) throws SQLException {
        List<ProfileScope.MpidRange> ranges = ProfileScope.MpidRange.split(mpidMin, mpidMax, 64);
        List<String> tried = new ArrayList<>();
        String oneShotBest = null;
        String rangedBest = null;
        double oneShot = Double.MAX_VALUE;
        double ranged = Double.MAX_VALUE;
        long rows = -1;
        for (Formulation formulation : formulations) {
            String whole = formulation.sql().apply(alias -> "");
            long[] found = new long[1];
            WarmRuns.Figures runs = timed(() -> found[0] = count(whole, formulation.parameters()));
            rows = check(rows, found[0], formulation.label());
            tried.add(String.format("%s %s", formulation.label(), runs));
            if (runs.median() < oneShot) {
                oneShot = runs.median();
                oneShotBest = formulation.label();
            }
            runs = timed(() -> {
                found[0] = 0;
                for (ProfileScope.MpidRange range : ranges) {
                    found[0] += count(formulation.sql().apply(alias -> " AND " + alias + ".mpid BETWEEN "
                            + range.from() + " AND " + range.to()), formulation.parameters());
                }
            });
            rows = check(rows, found[0], formulation.label() + " in 64 ranges");
            tried.add(String.format("%s in 64 ranges %s", formulation.label(), runs));
            if (runs.median() < ranged) {
                ranged = runs.median();
                rangedBest = formulation.label();
            }
        }
        return new Result(oneShotBest, oneShot, rangedBest, ranged, rows, tried);
    }

    /** A query's work, timed in warm runs. */
    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    /** Work that times itself (leaving out its cleanup). */
    @FunctionalInterface
    private interface SelfTimed {
        double millis() throws SQLException;
    }

    private static WarmRuns.Figures selfTimed(SelfTimed run) throws SQLException {
        try {
            return WarmRuns.of(run::millis);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static WarmRuns.Figures timed(Work work) throws SQLException {
        return selfTimed(() -> {
            long start = System.nanoTime();
            work.run();
            return (System.nanoTime() - start) / 1e6;
        });
    }

    private static long check(long rows, long found, String label) {
        if (rows >= 0 && rows != found) {
            throw new IllegalStateException("Best-schema formulations disagree: " + rows + " vs " + found + " ("
                    + label + ")");
        }
        return found;
    }

    /** Warm milliseconds of storing a formulation's result, the faster of the two ways tried, and how. */
    record Stored(String how, double millis, long rows) {
    }

    /**
     * Times the formulation (one shot) storing its rows in {@code bench_anchor_member} (the columns and primary key
     * of {@code audience_member}, never empty, no foreign key), READ COMMITTED and committed, two ways: one
     * {@code INSERT … SELECT}, and select then insert in statements of 2,000 rows as the engine does. Each way counts
     * the median of its warm runs ({@link WarmRuns}); its rows are deleted after each, untimed.
     */
    Stored stored(Formulation formulation) throws SQLException {
        String select = formulation.sql().apply(alias -> "");
        try (Connection connection = dataSource.getConnection(); Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS bench_anchor_member (audience_id BIGINT NOT NULL, generation INT"
                    + " NOT NULL, mpid BIGINT NOT NULL, PRIMARY KEY (audience_id, generation, mpid)) ENGINE=InnoDB");
            ddl.execute("INSERT IGNORE INTO bench_anchor_member VALUES (0, 0, 0)");
        }
        Stored best = null;
        for (String how : List.of("INSERT … SELECT", "select, then INSERT in 2,000-row statements")) {
            long[] rows = new long[1];
            WarmRuns.Figures runs = selfTimed(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    connection.setAutoCommit(false);
                    long start = System.nanoTime();
                    rows[0] = how.startsWith("INSERT")
                            ? update(connection, "INSERT INTO bench_anchor_member (audience_id, generation, mpid)"
                            + " SELECT 1, 1, q.mpid FROM (" + select + ") q", formulation.parameters())
                            : selectThenInsert(connection, select, formulation.parameters());
                    connection.commit();
                    double millis = (System.nanoTime() - start) / 1e6;
                    try (Statement cleanup = connection.createStatement()) {
                        cleanup.execute("DELETE FROM bench_anchor_member WHERE audience_id = 1");
                    }
                    connection.commit();
                    connection.setAutoCommit(true);
                    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    return millis;
                }
            });
            check(best == null ? -1 : best.rows(), rows[0], how);
            if (best == null || runs.median() < best.millis()) {
                best = new Stored(how + ", " + runs, runs.median(), rows[0]);
            }
        }
        return best;
    }

    private static long selectThenInsert(Connection connection, String select, List<Object> parameters)
            throws SQLException {
        List<Long> mpids = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    mpids.add(rs.getLong(1));
                }
            }
        }
        long inserted = 0;
        try (Statement insert = connection.createStatement()) {
            for (int from = 0; from < mpids.size(); from += 2_000) {
                StringBuilder sql = new StringBuilder("INSERT INTO bench_anchor_member (audience_id, generation, mpid)"
                        + " VALUES ");
                for (int i = from; i < Math.min(mpids.size(), from + 2_000); i++) {
                    sql.append(i == from ? "" : ", ").append("(1, 1, ").append(mpids.get(i)).append(')');
                }
                inserted += insert.executeUpdate(sql.toString());
            }
        }
        return inserted;
    }

    private static long update(Connection connection, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    private long count(String sql, List<Object> parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            long count = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    count++;
                }
            }
            return count;
        }
    }
}
