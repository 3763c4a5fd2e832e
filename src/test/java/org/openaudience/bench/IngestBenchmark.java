package org.openaudience.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.AttributeColumnSql;
import org.openaudience.criteria.AttributeColumns;
import org.openaudience.event.RetentionSweep;
import org.openaudience.testsupport.EventsApiClient;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Events API throughput: bulk requests (100 batches x 10 events, realistic attributes) from several client threads
 * over loopback against the running app and its MariaDB; then the floor, a plain multi-row INSERT of the same
 * rows (into a second workspace, so the measured one holds only API events).
 * <p>
 * Issue #17 adds, after that first measured phase and with the same client load for the same duration: a phase with
 * five active audiences over the ingested events ({@link RecalculationLoop#audiences()}) but no calculation running
 * (real-time membership alone), and a phase in which full recalculations of those audiences run back to back, at
 * least one at every moment ({@link RecalculationLoop}). Each phase prints events/s and request latency, asserts
 * stored = acknowledged, and counts deadlocks, lock waits and retries ({@link ContentionCounters}); the report
 * prints each phase's ratio to the first, the targets (&ge; 25,000 events/s with no audiences, &ge; 80 % of
 * that while recalculating) and the recalculations and ranges done (a failed one fails the test, after the figures). The app's clock follows real time (reset every 5 ms), so audience windows include the
 * events just sent.
 * <p>
 * Run with {@code ./mvnw -Pbench test -Dtest=IngestBenchmark}; options:
 * <ul>
 *   <li>{@code -Dbench.seconds=60}: length of each measured phase (warm-up 10 s; floor a third, at least 10 s)</li>
 *   <li>{@code -Dbench.threads=4}: client threads (and floor threads)</li>
 *   <li>{@code -Dbench.recalc=true}: the issue #17 phases; {@code false} runs issue #3's measurement only</li>
 *   <li>{@code -Dbench.recalc.parallel=1}: recalculations kept running at once (the engine has 2 threads)</li>
 *   <li>{@code -Dbench.recalc.realtime-phase=true}: the phase with active audiences but no recalculation</li>
 *   <li>{@code -Dbench.index-phase=true}: a phase with the audiences' attribute indexes but no active audience</li>
 *   <li>{@code -Dbench.control-phase=true}: a last phase like the first (no audience, no attribute index) on the
 *   grown table, to tell the table's growth apart from the audiences' cost</li>
 *   <li>{@code -Dbench.retention-phase=false}: after that, the same load while the retention sweep runs back to back
 *   over the workspace (it finds nothing older than 90 days to delete)</li>
 * </ul>
 */
@Tag("bench")
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"openaudience.ingest.rate-limit-batches-per-second=1000000",
                // as in production (tests take one bucket per step, one query at a time)
                "openaudience.calculation.step-budget=PT0.15S", "openaudience.calculation.parallel-queries=2",
                // no background sweeps competing with the measurements
                "openaudience.retention.initial-delay=PT10H", "openaudience.realtime.sweep-initial-delay=PT10H"})
class IngestBenchmark {

    static final int BATCHES_PER_REQUEST = 100;
    static final int EVENTS_PER_BATCH = 10;
    /** The label of the last phase, the first one's load on the grown table. */
    static final String CONTROL_LABEL = "no audiences again";
    static final List<String> DESTINATIONS = List.of("Paris", "Cannes", "Rome", "Lisbon", "Tokyo", "New York");

    /** One measured phase: client load for a fixed time, then the rows stored. */
    record Phase(String label, double seconds, long acknowledged, long stored, List<Long> sorted,
                 ContentionCounters.Figures contention) {
        double rate() {
            return acknowledged / seconds;
        }

        double maxMs() {
            return sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6;
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    DataSource dataSource;
    @Autowired
    AudienceService audiences;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    RetentionSweep retention;

    @Test
    void events_api_throughput_against_a_plain_insert_and_while_recalculating() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 60);
        int threads = Integer.getInteger("bench.threads", 4);
        boolean recalc = Boolean.parseBoolean(System.getProperty("bench.recalc", "true"));
        int parallel = Integer.getInteger("bench.recalc.parallel", 1);
        boolean realTimePhase = Boolean.parseBoolean(System.getProperty("bench.recalc.realtime-phase", "true"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(clock::reset, 0, 5, TimeUnit.MILLISECONDS);
        try (ContentionCounters counters = new ContentionCounters(jdbc)) {
            IngestFixture fixture = fixtures.create();
            String auth = EventsApiClient.basic(fixture.credentials.apiKey(), fixture.credentials.secret());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://localhost:" + port + "/v2/bulkevents");
            Load load = (label, atStart, atEnd) -> measure(label, http, uri, auth, threads, seconds, fixture,
                    counters, atStart, atEnd);

            run(http, uri, auth, threads, 10, null, null); // warm-up: JIT, connection pool, buffer pool
            Phase first = load.measure("1 no audiences", () -> { }, () -> { });
            double floorRate = plainInsertRate(fixtures.create().workspace.id(), threads, Math.max(10, seconds / 3));
            IngestReport.printFirst(first, threads, floorRate);
            assertThat(first.stored()).isEqualTo(first.acknowledged());
            if (!recalc) {
                return;
            }
            RecalculationLoop loop = new RecalculationLoop(audiences, jdbc, fixtures.members(), fixture.workspace.id());
            Duration firstCalculations = loop.createAndCalculate();
            List<Phase> phases = new ArrayList<>(List.of(first));
            if (Boolean.parseBoolean(System.getProperty("bench.index-phase", "true"))) {
                // what maintaining the audiences' attribute indexes costs ingestion, with no audience active
                loop.deactivateAll();
                phases.add(load.measure("2 attribute indexes only", () -> { }, () -> { }));
                loop.reactivate();
            }
            if (realTimePhase) {
                phases.add(load.measure((phases.size() + 1) + " " + RecalculationLoop.audiences().size()
                                + " audiences active",
                        () -> { }, () -> { }));
            }
            RecalculationLoop.Figures[] figures = new RecalculationLoop.Figures[1];
            phases.add(load.measure((phases.size() + 1) + " recalculating", () -> loop.start(parallel),
                    () -> figures[0] = loop.stop()));
            if (Boolean.parseBoolean(System.getProperty("bench.control-phase", "true"))) {
                // every phase has grown the event table since the first: the first phase's load again, on the
                // table as it is now, tells that drift apart from what audiences and recalculations cost
                loop.deactivateAll();
                dropAttributeIndexes();
                phases.add(load.measure((phases.size() + 1) + " " + CONTROL_LABEL, () -> { }, () -> { }));
                if (Boolean.parseBoolean(System.getProperty("bench.retention-phase", "false"))) {
                    // the same again while the retention sweep runs back to back, finding nothing to delete: what
                    // its scans of the key index cost ingestion
                    RetentionLoop sweeping = new RetentionLoop(retention, fixture.workspace.id());
                    phases.add(load.measure((phases.size() + 1) + " retention sweeping", sweeping::start,
                            sweeping::stop));
                    System.out.printf("retention sweeps during the last phase: %d completed, %.1f s each on"
                            + " average, %d events removed%n", sweeping.sweeps(), sweeping.averageSeconds(),
                            sweeping.removed());
                }
            }
            IngestReport.print(phases, figures[0], threads, parallel, firstCalculations);
            for (Phase phase : phases) {
                assertThat(phase.stored()).as("stored events of phase " + phase.label())
                        .isEqualTo(phase.acknowledged());
            }
            assertThat(figures[0].failed()).isZero();
        } finally {
            ticker.shutdownNow();
        }
    }

    /** Drops every attribute index as the keeper would once no audience needs it (none is active now). */
    private void dropAttributeIndexes() {
        jdbc.sql("SELECT id, source, column_name FROM attribute_index").query((rs, n) -> new Object[] {rs.getLong(1),
                        AttributeColumns.Source.valueOf(rs.getString(2)), rs.getString(3)}).list()
                .forEach(row -> {
                    if (row[2] != null) {
                        jdbc.sql(AttributeColumnSql.drop((AttributeColumns.Source) row[1], (String) row[2])).update();
                    }
                    jdbc.sql("DELETE FROM attribute_index WHERE id = ?").param(row[0]).update();
                });
    }

    @FunctionalInterface
    private interface Load {
        Phase measure(String label, Runnable atStart, Runnable atEnd) throws InterruptedException;
    }

    private Phase measure(String label, HttpClient http, URI uri, String auth, int threads, int seconds,
                          IngestFixture fixture, ContentionCounters counters, Runnable atStart, Runnable atEnd)
            throws InterruptedException {
        long before = fixture.count("event");
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong acknowledged = new AtomicLong();
        counters.begin();
        atStart.run();
        long started = System.nanoTime();
        run(http, uri, auth, threads, seconds, latencies, acknowledged);
        double elapsed = (System.nanoTime() - started) / 1e9;
        atEnd.run();
        ContentionCounters.Figures contention = counters.end();
        long stored = fixture.count("event") - before;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Phase(label, elapsed, acknowledged.get(), stored, sorted, contention);
    }

    private void run(HttpClient http, URI uri, String auth, int threads, int seconds,
                     ConcurrentLinkedQueue<Long> latencies, AtomicLong acknowledged) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            String runThread = java.util.UUID.randomUUID().toString().substring(0, 8) + "-" + t;
            pool.execute(() -> {
                Random random = new Random(thread);
                long sequence = 0;
                while (System.nanoTime() < deadline) {
                    String body = bulkBody(random, runThread, sequence++);
                    HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", auth)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long latency = System.nanoTime() - start;
                        if (response.statusCode() != 202) {
                            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
                        }
                        if (latencies != null) {
                            latencies.add(latency);
                            acknowledged.addAndGet((long) BATCHES_PER_REQUEST * EVENTS_PER_BATCH);
                        }
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(seconds + 120L, TimeUnit.SECONDS)).isTrue();
    }

    /** 100 batches of 10 events: sessions, screens, videos with attributes, searches, a purchase now and then. */
    static String bulkBody(Random random, String thread, long sequence) {
        StringBuilder body = new StringBuilder(64 * 1024).append('[');
        long now = System.currentTimeMillis();
        for (int b = 0; b < BATCHES_PER_REQUEST; b++) {
            int user = random.nextInt(50_000);
            if (b > 0) {
                body.append(',');
            }
            body.append("{\"environment\":\"production\",\"source_request_id\":\"bench-").append(thread).append('-')
                    .append(sequence).append('-').append(b).append("\",\"user_identities\":{\"customer_id\":\"bench-")
                    .append(user).append("\",\"email\":\"bench").append(user).append("@example.com\"},")
                    .append("\"user_attributes\":{\"status\":\"").append(user % 5 == 0 ? "Premium" : "Free")
                    .append("\",\"$country\":\"FR\",\"$city\":\"Paris\"},\"device_info\":{\"platform\":\"iOS\",")
                    .append("\"ios_idfv\":\"idfv-").append(user).append("\",\"os_version\":\"17.4\"},\"events\":[");
            for (int e = 0; e < EVENTS_PER_BATCH; e++) {
                if (e > 0) {
                    body.append(',');
                }
                long time = now - random.nextInt(3_600_000);
                switch (e % 5) {
                    case 0 -> body.append("{\"event_type\":\"session_start\",\"data\":{\"timestamp_unixtime_ms\":")
                            .append(time).append("}}");
                    case 1 -> body.append("{\"event_type\":\"screen_view\",\"data\":{\"screen_name\":\"Destination ")
                            .append(random.nextInt(20)).append("\",\"timestamp_unixtime_ms\":").append(time)
                            .append("}}");
                    case 4 -> body.append("{\"event_type\":\"commerce_event\",\"data\":{\"timestamp_unixtime_ms\":")
                            .append(time).append(",\"product_action\":{\"action\":\"add_to_cart\",\"total_amount\":")
                            .append(50 + random.nextInt(500)).append(",\"products\":[{\"id\":\"H-1\",\"name\":")
                            .append("\"Hotel\",\"price\":120.5,\"quantity\":1}]}}}");
                    default -> body.append("{\"event_type\":\"custom_event\",\"data\":{\"event_name\":\"Play Video\",")
                            .append("\"custom_event_type\":\"media\",\"timestamp_unixtime_ms\":").append(time)
                            .append(",\"custom_attributes\":{\"category\":\"Destination Intro\",\"destination\":\"")
                            .append(DESTINATIONS.get(random.nextInt(DESTINATIONS.size())))
                            .append("\",\"duration_seconds\":\"").append(30 + random.nextInt(300))
                            .append("\",\"autoplay\":\"true\"}}}");
                }
            }
            body.append("]}");
        }
        return body.append(']').toString();
    }

    /** The floor: the same number of event rows per statement, multi-row INSERTed straight into MariaDB. */
    private double plainInsertRate(long workspaceId, int threads, int seconds) throws Exception {
        AtomicLong inserted = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int rows = BATCHES_PER_REQUEST * EVENTS_PER_BATCH;
        StringBuilder sql = new StringBuilder("INSERT INTO event (workspace_id, mpid, input_id, batch_id, event_type,"
                + " event_key, custom_event_type, platform, environment, event_time, received_at, attributes, data)"
                + " VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                Random random = new Random();
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                    connection.setAutoCommit(false);
                    while (System.nanoTime() < deadline) {
                        int p = 1;
                        Timestamp now = Timestamp.from(Instant.now());
                        for (int i = 0; i < rows; i++) {
                            statement.setLong(p++, workspaceId);
                            statement.setLong(p++, random.nextLong());
                            statement.setLong(p++, 1);
                            statement.setLong(p++, 1);
                            statement.setString(p++, "custom_event");
                            statement.setString(p++, "Play Video");
                            statement.setString(p++, "media");
                            statement.setString(p++, "iOS");
                            statement.setString(p++, "production");
                            statement.setTimestamp(p++, now);
                            statement.setTimestamp(p++, now);
                            statement.setString(p++, "{\"category\":\"Destination Intro\",\"destination\":\"Paris\","
                                    + "\"duration_seconds\":\"120\",\"autoplay\":\"true\"}");
                            statement.setString(p++, "{\"event_name\":\"Play Video\",\"custom_event_type\":\"media\"}");
                        }
                        statement.executeUpdate();
                        connection.commit();
                        inserted.addAndGet(rows);
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS)).isTrue();
        return inserted.get() / ((System.nanoTime() - started) / 1e9);
    }

    static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
