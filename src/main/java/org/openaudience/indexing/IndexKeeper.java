package org.openaudience.indexing;

import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.openaudience.criteria.AttributeColumnSql;
import org.openaudience.criteria.AttributeColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Keeps the attribute indexes in line with what active audiences need, on one background thread: registers a
 * needed column, adds it (a virtual column: instant) and builds its index online ({@code ALGORITHM=INPLACE,
 * LOCK=NONE}: ingestion and calculations go on meanwhile), then marks it ready; drops one that no active audience
 * has needed for {@code openaudience.indexing.drop-after}. Until an index is ready, the compiler reads the JSON, so
 * results never depend on it. DDL waits at most {@link #LOCK_WAIT_SECONDS} for the table's metadata lock, so that
 * a long transaction never queues every query of the table behind it; a build that fails is tried again after
 * {@code openaudience.indexing.retry-after}.
 */
@Component
class IndexKeeper {

    private static final Logger log = LoggerFactory.getLogger(IndexKeeper.class);
    static final int LOCK_WAIT_SECONDS = 5;
    /** 10M events' index built in 35 s on the 2-core benchmark machine while it ingested. */
    static final double DEFAULT_ROWS_PER_MILLI = 280;

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final AttributeIndexes indexes;
    private final NeededColumns needed;
    private final Clock clock;
    private final Duration dropAfter;
    private final Duration retryAfter;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "attribute-index");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean queued = new AtomicBoolean();

    IndexKeeper(JdbcClient jdbc, DataSource dataSource, AttributeIndexes indexes, NeededColumns needed, Clock clock,
                @Value("${openaudience.indexing.drop-after:PT1H}") Duration dropAfter,
                @Value("${openaudience.indexing.retry-after:PT10M}") Duration retryAfter) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.indexes = indexes;
        this.needed = needed;
        this.clock = clock;
        this.dropAfter = dropAfter;
        this.retryAfter = retryAfter;
    }

    /** A new definition is calculating: start what it needs now rather than at the next check. */
    @TransactionalEventListener(fallbackExecution = true)
    void needsChanged(IndexNeedsChanged event) {
        request();
    }

    @Scheduled(initialDelayString = "${openaudience.indexing.initial-delay:PT10S}",
            fixedDelayString = "${openaudience.indexing.check-interval:PT1M}")
    void check() {
        request();
    }

    /** Runs a pass on the worker unless one is already waiting to run (it will see the latest needs). */
    void request() {
        if (queued.compareAndSet(false, true)) {
            worker.execute(() -> {
                queued.set(false);
                try {
                    reconcile();
                } catch (RuntimeException e) {
                    log.error("Keeping attribute indexes failed; the next check tries again", e);
                }
            });
        }
    }

    /** One pass: register, build and drop as needed. Runs on the worker (tests call it directly). */
    synchronized void reconcile() {
        Set<AttributeColumns.Column> wanted = needed.neededNow();
        Instant now = clock.instant();
        List<AttributeIndexes.Row> rows = indexes.rows();
        for (AttributeColumns.Column column : wanted) {
            if (rows.stream().noneMatch(row -> row.column().equals(column))) {
                jdbc.sql("INSERT IGNORE INTO attribute_index (source, attribute, value_kind, status, created_at,"
                                + " status_changed_at) VALUES (?, ?, ?, 'BUILDING', ?, ?)")
                        .params(column.source().name(), column.attribute(), column.kind().name(),
                                Timestamp.from(now), Timestamp.from(now)).update();
            }
        }
        for (AttributeIndexes.Row row : indexes.rows()) {
            boolean used = wanted.contains(row.column());
            jdbc.sql("UPDATE attribute_index SET unused_since = " + (used ? "NULL" : "COALESCE(unused_since, ?)")
                    + " WHERE id = ?").params(used ? List.of(row.id()) : List.of(Timestamp.from(now), row.id()))
                    .update();
            if (!used) {
                if ("DROPPING".equals(row.status()) || unusedLongEnough(row.id(), now)) {
                    drop(row);
                }
            } else if (!"READY".equals(row.status()) && (!"FAILED".equals(row.status()) || retryDue(row.id(), now))) {
                // building, interrupted by a restart, or needed again while dropping: the DDL is idempotent
                build(row);
            }
        }
    }

    private boolean unusedLongEnough(long id, Instant now) {
        return jdbc.sql("SELECT unused_since FROM attribute_index WHERE id = ?").param(id).query(Timestamp.class)
                .optional().map(since -> !since.toInstant().plus(dropAfter).isAfter(now)).orElse(false);
    }

    private boolean retryDue(long id, Instant now) {
        return jdbc.sql("SELECT status_changed_at FROM attribute_index WHERE id = ?").param(id)
                .query(Timestamp.class).optional().map(at -> !at.toInstant().plus(retryAfter).isAfter(now))
                .orElse(false);
    }

    private void build(AttributeIndexes.Row row) {
        AttributeColumns.Column column = row.column();
        String name = "oa_attr_" + row.id() + "_" + column.kind().name().toLowerCase();
        String index = AttributeColumnSql.indexOf(name);
        String table = AttributeColumnSql.table(column.source());
        jdbc.sql("UPDATE attribute_index SET status = 'BUILDING', column_name = ?, index_name = ? WHERE id = ?")
                .params(name, index, row.id()).update();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("SET SESSION lock_wait_timeout = " + LOCK_WAIT_SECONDS);
            long rows = tableRows(table);
            long connectionId;
            try (var rs = statement.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                connectionId = rs.getLong(1);
            }
            long expected = expectedNanos(table, rows);
            long[] start = new long[1];
            // a virtual column costs no storage and no rewrite; only its index holds values
            indexes.changeSchema(() -> {
                // timed from here: waiting for steps on two connections is not the build's (its rate predicts
                // the next build's progress)
                start[0] = System.nanoTime();
                indexes.building(row.id(), connectionId, expected);
                statement.execute(AttributeColumnSql.addColumn(column, name));
                statement.execute(AttributeColumnSql.addIndex(column.source(), name));
            });
            long millis = (System.nanoTime() - start[0]) / 1_000_000;
            jdbc.sql("UPDATE attribute_index SET status = 'READY', status_changed_at = ?, build_millis = ?,"
                    + " build_rows = ?, error = NULL WHERE id = ?")
                    .params(Timestamp.from(clock.instant()), millis, rows, row.id()).update();
            log.info("Attribute index {} on {} ({} {} {}) ready in {} ms", index, table, column.source(),
                    column.attribute(), column.kind(), millis);
        } catch (InterruptedException e) {
            // stays BUILDING: the next start builds it (the DDL is idempotent)
            Thread.currentThread().interrupt();
            log.info("Stopped before building attribute index {} on {}; the next start builds it", index, table);
        } catch (SQLException e) {
            log.warn("Building attribute index {} on {} ({} {} {}) failed; trying again after {}", index, table,
                    column.source(), column.attribute(), column.kind(), retryAfter, e);
            jdbc.sql("UPDATE attribute_index SET status = 'FAILED', status_changed_at = ?, error = ? WHERE id = ?")
                    .params(Timestamp.from(clock.instant()), truncate(e.getMessage()), row.id()).update();
        } finally {
            indexes.buildEnded();
            indexes.reload();
        }
    }

    /** The table's row count as InnoDB estimates it (no scan). */
    private long tableRows(String table) {
        return jdbc.sql("SELECT COALESCE(TABLE_ROWS, 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = ?").param(table).query(Long.class).optional().orElse(0L);
    }

    /**
     * How long building an index over {@code rows} rows should take, at the rate of the last build on the same
     * table (or {@link #DEFAULT_ROWS_PER_MILLI}, measured on 10M events).
     */
    private long expectedNanos(String table, long rows) {
        double rowsPerMilli = jdbc.sql("SELECT build_rows / build_millis FROM attribute_index WHERE build_millis > 0"
                        + " AND build_rows > 0 AND source = ? ORDER BY status_changed_at DESC LIMIT 1")
                .param("event".equals(table) ? "EVENT" : "PROFILE").query(Double.class).optional()
                .orElse(DEFAULT_ROWS_PER_MILLI);
        return (long) (rows / Math.max(1, rowsPerMilli) * 1_000_000);
    }

    private void drop(AttributeIndexes.Row row) {
        String table = AttributeColumnSql.table(row.column().source());
        // out of the compiler's hands first; a query compiled a moment ago still finds the column until the DDL
        jdbc.sql("UPDATE attribute_index SET status = 'DROPPING', status_changed_at = ? WHERE id = ?")
                .params(Timestamp.from(clock.instant()), row.id()).update();
        indexes.reload();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("SET SESSION lock_wait_timeout = " + LOCK_WAIT_SECONDS);
            if (row.columnName() != null) {
                indexes.changeSchema(() -> statement.execute(AttributeColumnSql.drop(row.column().source(),
                        row.columnName())));
            }
            jdbc.sql("DELETE FROM attribute_index WHERE id = ?").param(row.id()).update();
            log.info("Attribute index {} on {} ({} {} {}) dropped: no active audience needs it", row.indexName(),
                    table, row.column().source(), row.column().attribute(), row.column().kind());
        } catch (SQLException e) {
            // stays DROPPING (never used again); the next pass tries again
            log.warn("Dropping attribute index {} on {} failed; the next check tries again", row.indexName(), table,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.info("Stopped before dropping attribute index {} on {}; the next start drops it", row.indexName(),
                    table);
        }
    }

    private static String truncate(String text) {
        String message = String.valueOf(text);
        return message.length() > 1000 ? message.substring(0, 1000) : message;
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
