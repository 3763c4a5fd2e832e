package org.openaudience.indexing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openaudience.criteria.AttributeColumns;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Which attribute indexes are ready, for the compiler ({@link #columns()}), and which are still being built, for the
 * audience page ({@link #building}). The ready set is kept in memory and reloaded whenever the keeper changes it.
 */
@Service
public class AttributeIndexes {

    /** One row of {@code attribute_index}. */
    record Row(long id, AttributeColumns.Column column, String status, String columnName, String indexName) {
    }

    private final JdbcClient jdbc;
    private volatile Map<AttributeColumns.Column, String> ready = Map.of();
    /** The build running now, the MariaDB connection running its DDL and when it should end, for its progress. */
    private volatile long buildingId;
    private volatile long buildingConnection;
    private volatile long buildingSince;
    private volatile long buildingExpectedNanos;
    /**
     * Index DDL and a calculation step's second connection exclude each other. The step's transaction holds the
     * table's metadata lock while it waits for its second connection's query; that query queues behind the DDL's
     * pending exclusive lock, and the DDL waits for the step: nothing moves (ingestion included) until the DDL's lock
     * wait times out and the build fails (seen in the ingest benchmark: 5 s, then a retry 10 minutes later). Fair, so
     * a waiting DDL turns new steps to one connection instead of waiting behind them for ever.
     */
    private final ReentrantReadWriteLock schemaChanges = new ReentrantReadWriteLock(true);

    AttributeIndexes(JdbcClient jdbc) {
        this.jdbc = jdbc;
        reload();
    }

    /** The ready columns as the compiler takes them: a snapshot, unchanged while one query is compiled. */
    public AttributeColumns columns() {
        Map<AttributeColumns.Column, String> snapshot = ready;
        return column -> Optional.ofNullable(snapshot.get(column));
    }

    /** Of {@code columns}, those whose index is registered but not ready yet, with the running build's progress. */
    public List<IndexBuild> building(Set<AttributeColumns.Column> columns) {
        if (columns.isEmpty()) {
            return List.of();
        }
        List<IndexBuild> builds = new ArrayList<>();
        for (Row row : rows()) {
            if (columns.contains(row.column()) && "BUILDING".equals(row.status())) {
                builds.add(new IndexBuild(row.column(), row.id() == buildingId ? percent() : null));
            }
        }
        return builds;
    }

    /** Every registered index. */
    List<Row> rows() {
        return jdbc.sql("SELECT id, source, attribute, value_kind, status, column_name, index_name FROM attribute_index"
                        + " ORDER BY id")
                .query((rs, n) -> new Row(rs.getLong("id"), new AttributeColumns.Column(
                        AttributeColumns.Source.valueOf(rs.getString("source")), rs.getString("attribute"),
                        AttributeColumns.Kind.valueOf(rs.getString("value_kind"))), rs.getString("status"),
                        rs.getString("column_name"), rs.getString("index_name")))
                .list();
    }

    /** Reads the ready set again (after the keeper made one ready or started dropping one). */
    void reload() {
        Map<AttributeColumns.Column, String> columns = new HashMap<>();
        rows().stream().filter(row -> "READY".equals(row.status()))
                .forEach(row -> columns.put(row.column(), row.columnName()));
        ready = Map.copyOf(columns);
    }

    /**
     * Whether a calculation step may query on a second connection now: not while index DDL runs or waits. When true,
     * the caller must {@link #endSecondConnection()} on the same thread once that connection's last query ended.
     */
    public boolean trySecondConnection() {
        try {
            // the timed tryLock honours fairness: it fails while DDL waits
            return schemaChanges.readLock().tryLock(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void endSecondConnection() {
        schemaChanges.readLock().unlock();
    }

    /** Runs index DDL once no calculation step uses a second connection; none starts to meanwhile. */
    <E extends Exception> void changeSchema(SchemaChange<E> change) throws E, InterruptedException {
        schemaChanges.writeLock().lockInterruptibly();
        try {
            change.run();
        } finally {
            schemaChanges.writeLock().unlock();
        }
    }

    /** Whether index DDL waits for steps on two connections to end. */
    boolean schemaChangeWaiting() {
        return schemaChanges.hasQueuedThreads();
    }

    /** DDL statements, run by {@link #changeSchema}. */
    interface SchemaChange<E extends Exception> {
        void run() throws E;
    }

    void building(long id, long connection, long expectedNanos) {
        buildingConnection = connection;
        buildingSince = System.nanoTime();
        buildingExpectedNanos = Math.max(1, expectedNanos);
        buildingId = id;
    }

    void buildEnded() {
        buildingId = 0;
        buildingConnection = 0;
    }

    /**
     * How far the running build is: MariaDB reports an InnoDB index build's progress only while it sorts, so before
     * that the share of the time the build should take at the rate of the last one (never more than 99 %).
     */
    private Integer percent() {
        long connection = buildingConnection;
        if (connection == 0) {
            return null;
        }
        double reported = jdbc.sql("SELECT PROGRESS FROM information_schema.PROCESSLIST WHERE ID = ?")
                .param(connection).query(Double.class).optional().orElse(0.0);
        double expected = 100.0 * (System.nanoTime() - buildingSince) / buildingExpectedNanos;
        return (int) Math.min(99, Math.floor(Math.max(reported, expected)));
    }
}
