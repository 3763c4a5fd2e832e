package org.openaudience.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The columnar anchor: the generator's very files loaded into an in-memory DuckDB (the columns the queries need;
 * attributes stay JSON text, extracted at query time as in MariaDB), and the equivalent query per audience.
 */
final class DuckDbAnchor implements AutoCloseable {

    private final Connection connection;
    private final AudienceBenchData data;

    DuckDbAnchor(AudienceBenchData data) throws SQLException {
        this.data = data;
        this.connection = DriverManager.getConnection("jdbc:duckdb:");
    }

    /** @return load time in ms */
    double load() throws SQLException {
        long start = System.nanoTime();
        List<String> files = new ArrayList<>();
        for (int f = 0; f < data.eventFiles(); f++) {
            files.add("'" + data.eventFile(f).toAbsolutePath() + "'");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE event AS SELECT mpid, event_type, event_key, event_time, attributes FROM"
                    + " read_csv([" + String.join(", ", files) + "], delim = '\t', header = false, quote = '',"
                    + " escape = '', nullstr = '\\N', columns = {'workspace_id': 'BIGINT', 'mpid': 'BIGINT',"
                    + " 'input_id': 'BIGINT', 'batch_id': 'BIGINT', 'event_type': 'VARCHAR', 'event_key': 'VARCHAR',"
                    + " 'custom_event_type': 'VARCHAR', 'platform': 'VARCHAR', 'environment': 'VARCHAR',"
                    + " 'event_time': 'TIMESTAMP', 'received_at': 'TIMESTAMP', 'attributes': 'VARCHAR',"
                    + " 'data': 'VARCHAR'})");
            statement.execute("CREATE TABLE profile AS SELECT mpid, user_attributes, platforms FROM read_csv('"
                    + data.dir.resolve("profile.tsv").toAbsolutePath() + "', delim = '\t', header = false,"
                    + " quote = '', escape = '', nullstr = '\\N', columns = {'workspace_id': 'BIGINT', 'mpid': 'BIGINT',"
                    + " 'identities': 'VARCHAR', 'user_attributes': 'VARCHAR', 'device_info': 'VARCHAR',"
                    + " 'platforms': 'VARCHAR', 'country': 'VARCHAR', 'region': 'VARCHAR', 'city': 'VARCHAR',"
                    + " 'latitude': 'DOUBLE', 'longitude': 'DOUBLE', 'first_seen_at': 'TIMESTAMP',"
                    + " 'last_seen_at': 'TIMESTAMP'})");
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private String since(int days) {
        StringBuilder from = data.time(new StringBuilder("TIMESTAMP '"),
                data.now.minus(Duration.ofDays(days)).toEpochMilli()).append('\'');
        StringBuilder to = data.time(new StringBuilder("TIMESTAMP '"), data.now.toEpochMilli() + 1).append('\'');
        return "event_time >= " + from + " AND event_time < " + to;
    }

    private String parisVideos() {
        return "SELECT DISTINCT mpid FROM event WHERE event_type = 'custom_event' AND event_key = 'Play Video' AND "
                + since(30) + " AND lower(json_extract_string(attributes, '$.destination')) = 'paris'";
    }

    private String atLeast(String key, int times, int days) {
        return "SELECT mpid FROM event WHERE event_type = 'custom_event' AND event_key = '" + key + "' AND "
                + since(days) + " GROUP BY mpid HAVING count(*) >= " + times;
    }

    private static final String STATUS = "lower(json_extract_string(p.user_attributes, '$.status'))";
    private static final String IOS = "list_contains(json_keys(lower(p.platforms)), 'ios')";

    /** One query per audience, in the order of {@link BenchAudiences#issueAudiences()}. */
    List<String> queries() {
        String cart = "SELECT DISTINCT mpid FROM event WHERE event_type = 'commerce_event' AND event_key = 'add_to_cart'"
                + " AND " + since(7);
        String purchase = "SELECT DISTINCT mpid FROM event WHERE event_type = 'commerce_event'"
                + " AND event_key = 'purchase' AND " + since(7);
        return List.of(parisVideos(),
                "SELECT p.mpid FROM (" + parisVideos() + ") v JOIN profile p ON p.mpid = v.mpid WHERE " + STATUS
                        + " = 'premium'",
                cart + " EXCEPT " + purchase,
                atLeast("Play Video", 5, 30),
                "SELECT p.mpid FROM (" + parisVideos() + " UNION " + atLeast("Search", 3, 14) + ") u JOIN profile p"
                        + " ON p.mpid = u.mpid WHERE " + IOS + " AND NOT coalesce(" + STATUS + " = 'free', false)");
    }

    /** The median warm time in ms ({@link WarmRuns}) and the row count. */
    double[] run(String sql) throws Exception {
        long[] rows = new long[1];
        WarmRuns.Figures runs = WarmRuns.of(() -> {
            long start = System.nanoTime();
            rows[0] = count(sql);
            return (System.nanoTime() - start) / 1e6;
        });
        System.out.printf("DuckDB %s, %,d rows%n", runs, rows[0]);
        return new double[] {runs.median(), rows[0]};
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            long rows = 0;
            while (rs.next()) {
                rows++;
            }
            return rows;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
