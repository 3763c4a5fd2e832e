package org.openaudience.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.ingest.IngestionService;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Lock contention during a benchmark phase: MariaDB's server-wide InnoDB counters (deadlocks, row lock waits and
 * their total time; the server is shared, so other clients count too) and the app's own retries, counted from its
 * logs: a calculation range retried after a deadlock or lock wait timeout (WARN of {@link CalculationEngine}) and an
 * ingestion request retried after a lost race (DEBUG of {@link IngestionService}, enabled here and kept off the
 * console; its other warnings and errors are printed by the counter).
 */
final class ContentionCounters implements AutoCloseable {

    /** Differences over one phase. */
    record Figures(long deadlocks, long rowLockWaits, long rowLockMillis, long rowLockMaxMillis,
                   long calculationRetries, long ingestRetries) {
    }

    private static final String[] STATUS = {"Innodb_deadlocks", "Innodb_row_lock_waits", "Innodb_row_lock_time",
        "Innodb_row_lock_time_max"};

    private final JdbcClient jdbc;
    private final Counter calculation = new Counter("lost a lock race");
    private final Counter ingestion = new Counter("lost a race");
    private final Logger calculationLogger = (Logger) LoggerFactory.getLogger(CalculationEngine.class);
    private final Logger ingestionLogger = (Logger) LoggerFactory.getLogger(IngestionService.class);
    private final Level ingestionLevel = ingestionLogger.getLevel();
    private final boolean ingestionAdditive = ingestionLogger.isAdditive();
    private Map<String, Long> before;
    private long calculationBefore;
    private long ingestionBefore;

    ContentionCounters(JdbcClient jdbc) {
        this.jdbc = jdbc;
        calculation.start();
        ingestion.start();
        calculationLogger.addAppender(calculation);
        ingestionLogger.addAppender(ingestion);
        ingestionLogger.setLevel(Level.DEBUG);
        ingestionLogger.setAdditive(false);
    }

    void begin() {
        before = status();
        calculationBefore = calculation.count.get();
        ingestionBefore = ingestion.count.get();
    }

    Figures end() {
        Map<String, Long> after = status();
        return new Figures(after.get(STATUS[0]) - before.get(STATUS[0]), after.get(STATUS[1]) - before.get(STATUS[1]),
                after.get(STATUS[2]) - before.get(STATUS[2]), after.get(STATUS[3]),
                calculation.count.get() - calculationBefore, ingestion.count.get() - ingestionBefore);
    }

    private Map<String, Long> status() {
        Map<String, Long> values = new HashMap<>();
        jdbc.sql("SHOW GLOBAL STATUS WHERE Variable_name IN (?, ?, ?, ?)").params((Object[]) STATUS)
                .query((rs, row) -> values.put(rs.getString(1), Long.parseLong(rs.getString(2)))).list();
        for (String name : STATUS) {
            values.putIfAbsent(name, 0L);
        }
        return values;
    }

    @Override
    public void close() {
        calculationLogger.detachAppender(calculation);
        ingestionLogger.detachAppender(ingestion);
        ingestionLogger.setLevel(ingestionLevel);
        ingestionLogger.setAdditive(ingestionAdditive);
        calculation.stop();
        ingestion.stop();
    }

    private static final class Counter extends AppenderBase<ILoggingEvent> {
        private final String text;
        private final AtomicLong count = new AtomicLong();

        Counter(String text) {
            this.text = text;
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getMessage() != null && event.getMessage().contains(text)) {
                count.incrementAndGet();
            } else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                System.out.println(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage());
            }
        }
    }
}
