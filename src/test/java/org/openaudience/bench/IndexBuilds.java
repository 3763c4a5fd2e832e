package org.openaudience.bench;

import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The attribute indexes the app built for the benchmark's audiences: waiting for them and naming their columns. */
final class IndexBuilds {

    private IndexBuilds() {
    }

    /** Waits until no attribute index is being built; one line per index with its build time. */
    static List<String> awaitAll(JdbcClient jdbc, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (jdbc.sql("SELECT COUNT(*) FROM attribute_index WHERE status = 'BUILDING'").query(Long.class).single() > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        System.out.printf("attribute indexes ready %.1f s after the cold runs%n", (System.nanoTime() - start) / 1e9);
        return jdbc.sql("SELECT source, attribute, value_kind, status, build_millis, column_name FROM attribute_index"
                        + " ORDER BY id")
                .query((rs, n) -> String.format("attribute index %s %s %s: %s, built in %,d ms (%s)",
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getString(6)))
                .list();
    }

    /** The ready column of an attribute index. */
    static String column(JdbcClient jdbc, String source, String attribute, String kind) {
        return jdbc.sql("SELECT column_name FROM attribute_index WHERE source = ? AND attribute = ? AND value_kind = ?"
                        + " AND status = 'READY'").params(source, attribute, kind).query(String.class).optional()
                .orElseThrow(() -> new IllegalStateException("No ready attribute index for " + source + " "
                        + attribute + " " + kind));
    }
}
