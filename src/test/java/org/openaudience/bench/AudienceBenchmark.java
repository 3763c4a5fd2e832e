package org.openaudience.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.Estimate;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.criteria.Definition;
import org.openaudience.input.InputCredentials;
import org.openaudience.input.Platform;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 4's audience-engine benchmark: a generated workspace (default 1M profiles, 10M events over 60 days), the
 * five audiences calculated by the engine (time, progress steps, size), the best hand-written MariaDB query and the
 * same data in DuckDB as anchors (same counts asserted), estimate latency, and real-time 202 → membership latency
 * with 20 active audiences under ~2,000 events/s. Run with
 * {@code ./mvnw -Pbench test -Dtest=AudienceBenchmark [-Dbench.profiles=50000 -Dbench.events=500000]}.
 */
@Tag("bench")
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"openaudience.ingest.rate-limit-batches-per-second=1000000",
                // as in production (tests take one bucket per step, one query at a time)
                "openaudience.calculation.step-budget=PT0.15S", "openaudience.calculation.parallel-queries=2",
                // no background sweeps competing with the measurements
                "openaudience.retention.initial-delay=PT10H", "openaudience.realtime.sweep-initial-delay=PT10H"})
class AudienceBenchmark {

    /** Activation to done as a page sees it (polled every 20 ms). */
    record EngineRun(double millis, int progressSteps, int bucketsTotal, long size) {
    }

    @LocalServerPort
    int port;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    AudienceService audiences;
    @Autowired
    org.openaudience.audience.AudienceEstimates estimates;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    MutableClock clock;
    @Autowired
    org.openaudience.workspace.WorkspaceService workspaces;
    @Autowired
    org.openaudience.audience.AudienceList audienceList;
    @Autowired
    org.openaudience.profile.ProfileService profileService;

    @Test
    void audience_engine_against_hand_written_mariadb_and_duckdb() throws Exception {
        int profiles = Integer.getInteger("bench.profiles", 1_000_000);
        long events = Long.getLong("bench.events", 10_000_000L);
        long seed = Long.getLong("bench.seed", 42L);
        int realTimeSeconds = Integer.getInteger("bench.realtime.seconds", 60);
        int realTimeRate = Integer.getInteger("bench.realtime.rate", 2_000);
        int variantCount = Integer.getInteger("bench.variants", 15);

        // the app's clock stands still (MutableClock): engine, anchors and estimates share this "now"
        clock.reset();
        Instant now = clock.instant();
        // -Dbench.reuse-workspace=ID with REUSE_TEST_DB=name: the data a run kept (KEEP_TEST_DB=true), not loaded again
        Long reuse = Long.getLong("bench.reuse-workspace");
        IngestFixture fixture = reuse == null ? fixtures.create()
                : fixtures.existing(admin(() -> workspaces.workspace(reuse)));
        long workspaceId = fixture.workspace.id();
        String suffix = reuse == null ? "" : " " + org.openaudience.testsupport.TestMembers.unique();
        InputCredentials ios = fixture.addInput("iOS" + suffix, Platform.IOS);
        InputCredentials android = fixture.addInput("Android" + suffix, Platform.ANDROID);
        long[] inputIds = {ios.inputId(), android.inputId(), fixture.input.id()};

        Path dir = Path.of("target", "bench-data", "audience-" + profiles + "-" + events);
        AudienceBenchData data = new AudienceBenchData(profiles, events, seed, workspaceId, inputIds, now, dir);
        long start = System.nanoTime();
        if (reuse == null) {
            data.writeAndLoad(System.getProperty("DB_URL"), System.getenv().getOrDefault("DB_USER", "root"),
                    System.getenv().getOrDefault("DB_PASSWORD", ""));
            data.writeCatalog(jdbc);
        }
        double loadMs = (System.nanoTime() - start) / 1e6;
        start = System.nanoTime();
        jdbc.sql("ANALYZE TABLE event, profile, profile_identity").query().listOfRows();
        double analyzeMs = (System.nanoTime() - start) / 1e6;
        assertThat(fixture.count("event")).isEqualTo(events);
        assertThat(fixture.count("profile")).isEqualTo(profiles);
        System.out.printf("%n=== Generated %,d profiles, %,d events (seed %d) in %.1f s (files written and LOAD DATA"
                + " LOCAL INFILE, 2 threads), ANALYZE %.1f s ===%n", profiles, events, seed, loadMs / 1000,
                analyzeMs / 1000);

        if (Boolean.getBoolean("bench.load-only")) {
            // for experiments on the kept database (KEEP_TEST_DB=true)
            return;
        }
        // Engine: a cold calculation of each audience (its attribute indexes are built meanwhile, in the
        // background; until they are ready the engine reads the JSON), then, with the indexes ready, a warm one of a
        // copy (the figure that counts)
        Map<String, Definition> definitions = BenchAudiences.issueAudiences();
        List<String> names = new ArrayList<>(definitions.keySet());
        List<EngineRun> cold = new ArrayList<>();
        List<EngineRun> warm = new ArrayList<>();
        List<Long> coldIds = new ArrayList<>();
        List<Long> warmIds = new ArrayList<>();
        for (String name : names) {
            long id = admin(() -> audiences.createAudience(workspaceId, name + suffix, null, definitions.get(name)))
                    .id();
            coldIds.add(id);
            cold.add(calculate(id));
            System.out.printf("engine %-32s cold %8.0f ms, size %,d%n", name, cold.get(cold.size() - 1).millis(),
                    cold.get(cold.size() - 1).size());
        }
        IndexBuilds.awaitAll(jdbc, Duration.ofMinutes(30)).forEach(System.out::println);
        // warm runs interleaved (every audience once, then again): a slow spell of the machine touches them all
        List<List<EngineRun>> warmRuns = new ArrayList<>();
        names.forEach(name -> warmRuns.add(new ArrayList<>()));
        for (int run = 0; run < WarmRuns.repeat(); run++) {
            for (int i = 0; i < names.size(); i++) {
                long id = coldIds.get(i);
                long copy = admin(() -> audiences.cloneAudience(id)).id();
                warmRuns.get(i).add(calculate(copy));
                if (run == 0) {
                    warmIds.add(copy); // the copy that stays active for the real-time phase
                } else {
                    admin(() -> audiences.deactivateAudience(copy));
                }
            }
        }
        for (int i = 0; i < names.size(); i++) {
            long id = coldIds.get(i);
            admin(() -> audiences.deactivateAudience(id));
            WarmRuns.Figures millis = new WarmRuns.Figures(warmRuns.get(i).stream().map(EngineRun::millis).toList());
            EngineRun median = warmRuns.get(i).stream().filter(run -> run.millis() == millis.median()).findFirst()
                    .orElse(warmRuns.get(i).get(0));
            warm.add(new EngineRun(millis.median(), median.progressSteps(), median.bucketsTotal(), median.size()));
            System.out.printf("engine %-32s warm %s, size %,d%n", names.get(i), millis, warm.get(i).size());
        }

        if (Boolean.getBoolean("bench.engine-only")) {
            return; // while tuning the engine: the anchors do not change
        }
        MariaDbAnchors anchors = new MariaDbAnchors(dataSource, workspaceId, now);
        List<MariaDbAnchors.Result> hand = new ArrayList<>();
        List<List<MariaDbAnchors.Query>> queries = anchors.queries();
        for (int i = 0; i < names.size(); i++) {
            MariaDbAnchors.Result result = anchors.run(queries.get(i));
            hand.add(result);
            System.out.printf("MariaDB %-32s %s -> best %s, %,d rows%n", names.get(i), result.tried(),
                    result.best(), result.rows());
        }
        Map<String, Object> span = jdbc.sql("SELECT MIN(mpid) AS low, MAX(mpid) AS high FROM profile"
                + " WHERE workspace_id = ?").param(workspaceId).query().singleRow();
        BestSchemaAnchors bestSchema = new BestSchemaAnchors(dataSource, workspaceId, now,
                IndexBuilds.column(jdbc, "EVENT", "destination", "TEXT"),
                IndexBuilds.column(jdbc, "PROFILE", "status", "TEXT"));
        List<BestSchemaAnchors.Result> best = new ArrayList<>();
        List<BestSchemaAnchors.Stored> stored = new ArrayList<>();
        List<List<BestSchemaAnchors.Formulation>> formulations = bestSchema.formulations();
        for (int i = 0; i < names.size(); i++) {
            BestSchemaAnchors.Result result = bestSchema.run(formulations.get(i),
                    ((Number) span.get("low")).longValue(), ((Number) span.get("high")).longValue());
            best.add(result);
            System.out.printf("best schema %-32s %s -> one shot %s, 64 ranges %s, %,d rows%n", names.get(i),
                    result.tried(), result.oneShotBest(), result.rangedBest(), result.rows());
            String oneShotBest = result.oneShotBest();
            BestSchemaAnchors.Stored store = bestSchema.stored(formulations.get(i).stream()
                    .filter(formulation -> formulation.label().equals(oneShotBest)).findFirst().orElseThrow());
            stored.add(store);
            System.out.printf("best schema stored %-32s %s: %.0f ms, %,d rows%n", names.get(i), store.how(),
                    store.millis(), store.rows());
        }

        List<double[]> duck = new ArrayList<>();
        double duckLoadMs;
        try (DuckDbAnchor duckDb = new DuckDbAnchor(data)) {
            duckLoadMs = duckDb.load();
            System.out.printf("DuckDB loaded the same files in %.1f s%n", duckLoadMs / 1000);
            for (String sql : duckDb.queries()) {
                duck.add(duckDb.run(sql));
            }
        }

        List<Double> estimateMs = new ArrayList<>();
        for (String name : names) {
            Definition definition = definitions.get(name);
            admin(() -> estimates.estimate(workspaceId, definition)); // warm-up
            start = System.nanoTime();
            Estimate estimate = admin(() -> estimates.estimate(workspaceId, definition));
            estimateMs.add((System.nanoTime() - start) / 1e6);
            System.out.printf("estimate %-32s %,d (sample %,d profiles, %d %%%s) in %.0f ms%n", name,
                    estimate.total().size(), estimate.total().sampled(), estimate.total().samplePercent(),
                    estimate.total().tooSmall() ? ", too small" : "", estimateMs.get(estimateMs.size() - 1));
        }

        // Real time: 20 active audiences (the five warm copies and variants), the clock following real time
        Map<String, Definition> variants = BenchAudiences.variants(variantCount);
        List<Long> variantIds = new ArrayList<>();
        start = System.nanoTime();
        for (Map.Entry<String, Definition> variant : variants.entrySet()) {
            long id = admin(() -> audiences.createAudience(workspaceId, variant.getKey() + suffix, null,
                    variant.getValue()))
                    .id();
            admin(() -> audiences.activateAudience(id));
            variantIds.add(id);
        }
        for (long id : variantIds) {
            awaitDone(id, new TreeSet<>());
        }
        System.out.printf("%d variant audiences calculated in %.1f s (engine threads shared)%n", variantIds.size(),
                (System.nanoTime() - start) / 1e9);
        RealTimeLatency realTime = new RealTimeLatency(port, ios, jdbc, workspaceId, warmIds.get(0), data);
        RealTimeLatency.Figures figures = realTime.run(realTimeRate, realTimeSeconds, clock::reset);

        // what the Audiences list and Users › Lookup ask of their services, with every audience above in the list
        UiTimings ui = new UiTimings(audienceList, profileService);
        List<String> customers = new java.util.Random(seed).ints(10, 0, profiles)
                .mapToObj(AudienceBenchData::customerId).toList();
        List<UiTimings.Figures> uiFigures = List.of(ui.audiencesList(workspaceId),
                ui.lookups(workspaceId, org.openaudience.profile.LookupKind.CUSTOMER_ID, customers));
        uiFigures.forEach(System.out::println);

        printSummary(profiles, events, names, warm, cold, hand, best, stored, duck, estimateMs, figures, loadMs, duckLoadMs,
                warmIds.size() + variantIds.size());
        uiFigures.forEach(System.out::println);
        for (int i = 0; i < names.size(); i++) {
            assertThat(hand.get(i).rows()).as("hand-written MariaDB rows of " + names.get(i))
                    .isEqualTo(warm.get(i).size());
            assertThat((long) duck.get(i)[1]).as("DuckDB rows of " + names.get(i)).isEqualTo(warm.get(i).size());
            assertThat(stored.get(i).rows()).as("best-schema rows stored for " + names.get(i))
                    .isEqualTo(warm.get(i).size());
        }
        assertThat(figures.latencies()).isNotEmpty();
    }

    private EngineRun calculate(long audienceId) throws InterruptedException {
        Set<Integer> steps = new TreeSet<>();
        long start = System.nanoTime();
        admin(() -> audiences.activateAudience(audienceId));
        CalculationProgress done = awaitDone(audienceId, steps);
        double millis = (System.nanoTime() - start) / 1e6;
        return new EngineRun(millis, steps.size(), done.bucketsTotal(), done.size());
    }

    /** Polls progress every 20 ms, collecting the distinct progress values seen. */
    private CalculationProgress awaitDone(long audienceId, Set<Integer> steps) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofHours(1).toNanos();
        CalculationProgress progress = admin(() -> audiences.progress(audienceId));
        while (progress.calculating() && System.nanoTime() < deadline) {
            steps.add(progress.bucketsDone());
            Thread.sleep(20);
            progress = admin(() -> audiences.progress(audienceId));
        }
        assertThat(progress.calculating()).as("calculation of audience " + audienceId + " finished").isFalse();
        assertThat(progress.lastError()).isNull();
        return progress;
    }

    private <T> T admin(Supplier<T> work) {
        return fixtures.members().asAdmin(work);
    }

    private static void printSummary(int profiles, long events, List<String> names, List<EngineRun> warm,
                                     List<EngineRun> cold, List<MariaDbAnchors.Result> hand,
                                     List<BestSchemaAnchors.Result> best,
                                     List<BestSchemaAnchors.Stored> stored, List<double[]> duck,
                                     List<Double> estimateMs, RealTimeLatency.Figures rt, double loadMs,
                                     double duckLoadMs, int activeAudiences) {
        StringBuilder out = new StringBuilder(String.format("%n=== Audience engine benchmark: %,d profiles, %,d events"
                + " (load %.1f s, DuckDB load %.1f s) ===%n", profiles, events, loadMs / 1000, duckLoadMs / 1000));
        out.append(String.format("%-32s | %9s | %9s | %7s | %9s | %9s | %9s | %9s | %9s | %7s | %8s | %8s | %8s"
                        + " | %8s%n", "audience", "engine ms", "cold ms", "steps", "size", "JSON ms", "best 1x",
                "best 64x", "stored", "DuckDB", "eng/best", "eng/stor", "eng/duck", "estim ms"));
        for (int i = 0; i < names.size(); i++) {
            EngineRun engine = warm.get(i);
            out.append(String.format("%-32s | %9.0f | %9.0f | %3d/%-3d | %,9d | %9.0f | %9.0f | %9.0f | %9.0f"
                            + " | %7.0f | %8.2f | %8.2f | %8.2f | %8.0f%n",
                    names.get(i), engine.millis(), cold.get(i).millis(), engine.progressSteps(),
                    engine.bucketsTotal(), engine.size(), hand.get(i).millis(), best.get(i).oneShotMillis(),
                    best.get(i).rangedMillis(), stored.get(i).millis(), duck.get(i)[0],
                    engine.millis() / best.get(i).best(), engine.millis() / stored.get(i).millis(),
                    engine.millis() / duck.get(i)[0], estimateMs.get(i)));
        }
        out.append(String.format("ingestion -> membership (%d active audiences, %,d events in %.0f s = %.0f/s, %d"
                        + " requests): p50 %.0f ms, p99 %.0f ms, max %.0f ms, %d of %d new users measured; after the"
                        + " first %d s: p50 %.0f ms, p99 %.0f ms%n",
                activeAudiences, rt.events(), rt.seconds(), rt.events() / rt.seconds(), rt.requests(),
                rt.percentile(0.5), rt.percentile(0.99), rt.latencies().isEmpty() ? Double.NaN
                        : rt.latencies().get(rt.latencies().size() - 1), rt.latencies().size(), rt.probes(),
                RealTimeLatency.FIRST_SECONDS, rt.percentileAfterFirstSeconds(0.5),
                rt.percentileAfterFirstSeconds(0.99)));
        out.append("engine ms: activate -> progress not calculating (polled every 20 ms), warm run (a copy of an"
                + " audience just calculated, attribute indexes ready);"
                + " steps: distinct progress values seen / buckets total; JSON ms: best hand-written query on the"
                + " JSON (no attribute indexes); best 1x / 64x: best hand-written query on the best schema in one"
                + " shot / in 64 MPID ranges; eng/best: engine / the faster of the two; stored: the best one-shot"
                + " query also storing its rows in a table shaped like audience_member (eng/stor); engine (warm) and"
                + " every anchor but JSON ms: the median of " + WarmRuns.repeat() + " warm runs (-Dbench.repeat)\n");
        System.out.println(out);
    }
}
