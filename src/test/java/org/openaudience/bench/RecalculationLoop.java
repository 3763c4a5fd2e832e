package org.openaudience.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.Group;
import org.openaudience.testsupport.TestMembers;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue #17's background work for {@link IngestBenchmark}: five active audiences over the events the benchmark
 * ingests, and a thread that keeps {@code parallel} full recalculations running back to back. A recalculation is
 * an admin saving an active audience's definition again ({@link AudienceService#updateDefinition}), which starts a
 * new run over all of the workspace's ranges, exactly as an edit does; the audiences take turns. The thread polls
 * progress every 10 ms and starts the next run as soon as one is seen finished.
 */
final class RecalculationLoop {

    /** What the loop did while it ran; ranges include those of the run still going at the stop. */
    record Figures(int started, int completed, int failed, long ranges, double coveredPercent,
                   List<Double> runSeconds) {
    }

    private final AudienceService audiences;
    private final JdbcClient jdbc;
    private final TestMembers members;
    private final long workspaceId;
    private final Map<Long, Definition> definitions = new LinkedHashMap<>();
    private final Map<Long, Integer> baseline = new HashMap<>();
    private final List<Double> runSeconds = new ArrayList<>();
    private BackgroundLoop background;
    private int started;
    private int completed;
    private int failed;
    private Instant startedAt;

    RecalculationLoop(AudienceService audiences, JdbcClient jdbc, TestMembers members, long workspaceId) {
        this.audiences = audiences;
        this.jdbc = jdbc;
        this.members = members;
        this.workspaceId = workspaceId;
    }

    /** Name → definition: custom event with an attribute, commerce, a Users attribute, a count, events And Users. */
    static Map<String, Definition> audiences() {
        Map<String, Definition> audiences = new LinkedHashMap<>();
        audiences.put("R1 Paris video 30d", Definition.of(BenchAudiences.playVideo("paris", 30)));
        audiences.put("R2 Add to cart 7d", Definition.of(BenchAudiences.commerce("add_to_cart", 7)));
        audiences.put("R3 Premium", Definition.of(BenchAudiences.status("Premium")));
        audiences.put("R4 Play Video >=5 30d", Definition.of(BenchAudiences.atLeast("Play Video", 5, 30)));
        audiences.put("R5 Rome video And Premium", Definition.of(Group.of(BenchAudiences.playVideo("rome", 30))
                .then(Connector.AND, BenchAudiences.status("Premium"))));
        return audiences;
    }

    /** Creates and activates the audiences (needs the ingested catalog), and waits for their first calculations. */
    Duration createAndCalculate() throws InterruptedException {
        long start = System.nanoTime();
        audiences().forEach((name, definition) -> {
            long id = admin(() -> audiences.createAudience(workspaceId, name, null, definition)).id();
            admin(() -> audiences.activateAudience(id));
            definitions.put(id, definition);
        });
        awaitCalculated();
        // the attribute indexes these audiences need (destination on events, status on profiles), built online:
        // ingestion from here on maintains them, which is part of what the next phases measure
        IndexBuilds.awaitAll(jdbc, Duration.ofMinutes(30)).forEach(System.out::println);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Deactivates the audiences: no real time for them; their attribute indexes stay (for an hour). */
    void deactivateAll() {
        definitions.keySet().forEach(id -> admin(() -> audiences.deactivateAudience(id)));
    }

    /** Activates the audiences again and waits for their calculations. */
    void reactivate() throws InterruptedException {
        definitions.keySet().forEach(id -> admin(() -> audiences.activateAudience(id)));
        awaitCalculated();
    }

    private void awaitCalculated() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        for (long id : definitions.keySet()) {
            CalculationProgress progress = admin(() -> audiences.progress(id));
            while (progress.calculating() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                progress = admin(() -> audiences.progress(id));
            }
            assertThat(progress.calculating()).as("first calculation of audience " + id).isFalse();
            assertThat(progress.lastError()).isNull();
        }
    }

    /** Starts keeping {@code parallel} recalculations running. */
    void start(int parallel) {
        jdbc.sql("SELECT audience_id, MAX(generation) FROM calculation_run WHERE workspace_id = ? GROUP BY audience_id")
                .param(workspaceId).query((rs, row) -> baseline.put(rs.getLong(1), rs.getInt(2))).list();
        startedAt = Instant.now();
        background = BackgroundLoop.start("bench-recalculation-loop", loop -> keepRunning(loop, parallel));
    }

    private void keepRunning(BackgroundLoop loop, int parallel) throws InterruptedException {
        List<Long> ids = new ArrayList<>(definitions.keySet());
        Map<Long, Long> running = new LinkedHashMap<>(); // audience → nanoTime its recalculation was started
        int next = 0;
        while (!loop.stopping()) {
            for (var entry : new ArrayList<>(running.entrySet())) {
                CalculationProgress progress = admin(() -> audiences.progress(entry.getKey()));
                if (!progress.calculating()) {
                    running.remove(entry.getKey());
                    runSeconds.add((System.nanoTime() - entry.getValue()) / 1e9);
                    completed++;
                    failed += progress.lastError() == null ? 0 : 1;
                }
            }
            while (running.size() < Math.min(parallel, ids.size())) {
                long id = ids.get(next++ % ids.size());
                if (running.containsKey(id)) {
                    continue;
                }
                long start = System.nanoTime();
                admin(() -> audiences.updateDefinition(id, definitions.get(id)));
                running.put(id, start);
                started++;
            }
            Thread.sleep(10);
        }
    }

    /** Stops starting new runs (the one going finishes in the background) and reads what was done. */
    Figures stop() {
        Instant stoppedAt = Instant.now();
        background.stop();
        long ranges = 0;
        List<Instant[]> intervals = new ArrayList<>();
        for (Map<String, Object> run : jdbc.sql("SELECT audience_id, generation, buckets_done, started_at,"
                + " finished_at FROM calculation_run WHERE workspace_id = ?").param(workspaceId).query().listOfRows()) {
            long audience = ((Number) run.get("audience_id")).longValue();
            if (((Number) run.get("generation")).intValue() <= baseline.getOrDefault(audience, 0)) {
                continue;
            }
            ranges += ((Number) run.get("buckets_done")).longValue();
            Instant from = instant(run.get("started_at"));
            Instant to = run.get("finished_at") == null ? stoppedAt : instant(run.get("finished_at"));
            intervals.add(new Instant[] {from.isBefore(startedAt) ? startedAt : from,
                    to.isAfter(stoppedAt) ? stoppedAt : to});
        }
        return new Figures(started, completed, failed, ranges, covered(intervals, startedAt, stoppedAt),
                List.copyOf(runSeconds));
    }

    /** Share of the window inside at least one interval (the app's clock follows real time within a few ms). */
    private static double covered(List<Instant[]> intervals, Instant from, Instant to) {
        intervals.sort(Comparator.comparing(interval -> interval[0]));
        long coveredMs = 0;
        Instant end = from;
        for (Instant[] interval : intervals) {
            Instant start = interval[0].isAfter(end) ? interval[0] : end;
            if (interval[1].isAfter(start)) {
                coveredMs += Duration.between(start, interval[1]).toMillis();
                end = interval[1];
            }
        }
        return 100.0 * coveredMs / Math.max(1, Duration.between(from, to).toMillis());
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp timestamp ? timestamp.toInstant()
                : ((java.time.LocalDateTime) value).toInstant(java.time.ZoneOffset.UTC);
    }

    private <T> T admin(Supplier<T> work) {
        return members.asAdmin(work);
    }
}
