package org.openaudience.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.calculation.TimeSweep;
import org.openaudience.criteria.Definition;
import org.openaudience.input.InputCredentials;
import org.openaudience.input.Platform;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The real-time sweep's cost on the audience benchmark's generated workspace with its five audiences active: one
 * sweep at the calculation time (nothing changes: the evaluation alone) and one a day later (members leave and join).
 * Run with {@code ./mvnw -Pbench test -Dtest=SweepBenchmark [-Dbench.profiles=200000 -Dbench.events=2000000]}.
 */
@Tag("bench")
@IntegrationTest
@SpringBootTest(properties = {"openaudience.retention.initial-delay=PT10H",
        "openaudience.realtime.sweep-initial-delay=PT10H"})
class SweepBenchmark {

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    AudienceService audiences;
    @Autowired
    TimeSweep timeSweep;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;

    @Test
    void sweep_of_the_benchmark_workspace() throws Exception {
        int profiles = Integer.getInteger("bench.profiles", 200_000);
        long events = Long.getLong("bench.events", 2_000_000L);
        clock.reset();
        Instant now = clock.instant();
        IngestFixture fixture = fixtures.create();
        long workspaceId = fixture.workspace.id();
        InputCredentials ios = fixture.addInput("iOS", Platform.IOS);
        InputCredentials android = fixture.addInput("Android", Platform.ANDROID);
        AudienceBenchData data = new AudienceBenchData(profiles, events, 42L, workspaceId,
                new long[] {ios.inputId(), android.inputId(), fixture.input.id()}, now,
                Path.of("target", "bench-data", "sweep-" + profiles + "-" + events));
        data.writeAndLoad(System.getProperty("DB_URL"), System.getenv().getOrDefault("DB_USER", "root"),
                System.getenv().getOrDefault("DB_PASSWORD", ""));
        data.writeCatalog(jdbc);
        jdbc.sql("ANALYZE TABLE event, profile").query().listOfRows();

        List<Long> ids = new ArrayList<>();
        for (Map.Entry<String, Definition> audience : BenchAudiences.issueAudiences().entrySet()) {
            long id = admin(() -> audiences.createAudience(workspaceId, audience.getKey(), null,
                    audience.getValue())).id();
            admin(() -> audiences.activateAudience(id));
            ids.add(id);
        }
        for (long id : ids) {
            awaitDone(id);
        }

        long started = System.nanoTime();
        timeSweep.sweepExpired();
        double unchangedMs = (System.nanoTime() - started) / 1e6;
        long unchanged = expiryChanges(ids);
        clock.advance(Duration.ofDays(1));
        started = System.nanoTime();
        timeSweep.sweepExpired();
        double dayLaterMs = (System.nanoTime() - started) / 1e6;
        long chunks = (profiles + 4_999) / 5_000;
        System.out.printf("%n=== Sweep of %d active audiences over %,d profiles / %,d events (%d chunks each) ===%n"
                        + "at the calculation time: %.0f ms (%d changes), %.1f ms per audience chunk%n"
                        + "a day later: %.0f ms, %,d changes logged%n", ids.size(), profiles, events, chunks,
                unchangedMs, unchanged, unchangedMs / (ids.size() * chunks), dayLaterMs, expiryChanges(ids));
        assertThat(unchanged).as("changes of a sweep at the calculation time").isZero();
    }

    private long expiryChanges(List<Long> ids) {
        return jdbc.sql("SELECT COUNT(*) FROM membership_change WHERE cause = 'EXPIRY' AND audience_id IN (:ids)")
                .param("ids", ids).query(Long.class).single();
    }

    private void awaitDone(long audienceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofHours(1).toNanos();
        CalculationProgress progress = admin(() -> audiences.progress(audienceId));
        while (progress.calculating() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            progress = admin(() -> audiences.progress(audienceId));
        }
        assertThat(progress.calculating()).isFalse();
        assertThat(progress.lastError()).isNull();
    }

    private <T> T admin(Supplier<T> work) {
        return fixtures.members().asAdmin(work);
    }
}
