package org.openaudience.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.AudienceEstimates;
import org.openaudience.audience.AudiencePreview;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.EditPreview;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.Group;
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
 * Issue 16's "What changes?" at the benchmark's scale: issue 4's generated workspace (default 1M profiles, 10M
 * events), two of its audiences calculated, then edits previewed on the estimate sample (timed on the service, beside
 * the estimate of the same edit), and a run cancelled by a newer edit. Run with
 * {@code ./mvnw -Pbench test -Dtest=EditPreviewBenchmark [-Dbench.profiles=200000 -Dbench.events=2000000]}
 * (see docs/benchmarks.md).
 */
@Tag("bench")
@IntegrationTest
@SpringBootTest(properties = {"openaudience.retention.initial-delay=PT10H",
        "openaudience.realtime.sweep-initial-delay=PT10H",
        "logging.level.org.openaudience.audience.AudiencePreview=DEBUG"})
class EditPreviewBenchmark {

    static final int RUNS = 5;

    @Autowired
    IngestFixtures fixtures;
    @Autowired
    AudienceService audiences;
    @Autowired
    AudiencePreview previews;
    @Autowired
    AudienceEstimates estimates;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;


    @Test
    void what_changes_on_the_estimate_sample_of_a_large_workspace() throws Exception {
        int profiles = Integer.getInteger("bench.profiles", 1_000_000);
        long events = Long.getLong("bench.events", 10_000_000L);
        clock.reset();
        Instant now = clock.instant();
        IngestFixture fixture = fixtures.create();
        long workspaceId = fixture.workspace.id();
        InputCredentials ios = fixture.addInput("iOS", Platform.IOS);
        InputCredentials android = fixture.addInput("Android", Platform.ANDROID);
        Path dir = Path.of("target", "bench-data", "audience-" + profiles + "-" + events);
        AudienceBenchData data = new AudienceBenchData(profiles, events, 42L, workspaceId,
                new long[] {ios.inputId(), android.inputId(), fixture.input.id()}, now, dir);
        long start = System.nanoTime();
        data.writeAndLoad(System.getProperty("DB_URL"), System.getenv().getOrDefault("DB_USER", "root"),
                System.getenv().getOrDefault("DB_PASSWORD", ""));
        data.writeCatalog(jdbc);
        jdbc.sql("ANALYZE TABLE event, profile, profile_identity").query().listOfRows();
        System.out.printf("%n=== Generated %,d profiles, %,d events in %.0f s ===%n", profiles, events,
                (System.nanoTime() - start) / 1e9);

        Map<String, Definition> saved = BenchAudiences.issueAudiences();
        Definition paris = saved.get("1 Paris video 30d");
        Definition cart = saved.get("3 Cart, no purchase 7d");
        long parisId = activate(workspaceId, "Paris video 30d", paris);
        long cartId = activate(workspaceId, "Cart, no purchase 7d", cart);

        Map<String, Object[]> edits = new LinkedHashMap<>();
        edits.put("(1) -> And Premium", new Object[] {parisId, saved.get("2 (1) And Premium")});
        edits.put("(1) -> destination rome", new Object[] {parisId,
                Definition.of(BenchAudiences.playVideo("rome", 30))});
        edits.put("(1) -> last 7 days", new Object[] {parisId, Definition.of(BenchAudiences.playVideo("paris", 7))});
        edits.put("(3) -> 14 days", new Object[] {cartId, Definition.of(Group.of(BenchAudiences.commerce(
                "add_to_cart", 14)).then(Connector.EXCLUDE, BenchAudiences.commerce("purchase", 14)))});
        List<Double> all = new ArrayList<>();
        for (Map.Entry<String, Object[]> edit : edits.entrySet()) {
            long audienceId = (Long) edit.getValue()[0];
            Definition definition = (Definition) edit.getValue()[1];
            admin(() -> previews.preview(audienceId, definition)); // warm-up
            List<Double> times = new ArrayList<>();
            EditPreview preview = null;
            for (int i = 0; i < RUNS; i++) {
                long begin = System.nanoTime();
                preview = admin(() -> previews.preview(audienceId, definition));
                times.add((System.nanoTime() - begin) / 1e6);
            }
            long begin = System.nanoTime();
            admin(() -> estimates.estimate(workspaceId, definition));
            double estimateMs = (System.nanoTime() - begin) / 1e6;
            all.addAll(times);
            EditPreview shown = preview;
            System.out.printf("%-28s ≈ %,7d leave (%,d in sample), ≈ %,7d join (%,d in sample), sample %,d of %,d"
                            + " (%d %%) | preview median %5.0f ms, max %5.0f ms | estimate of the edit %5.0f ms%n",
                    edit.getKey(), shown.leaving(), shown.sampleLeaving(), shown.joining(), shown.sampleJoining(),
                    shown.sampled(), shown.profiles(), shown.samplePercent(), median(times), max(times), estimateMs);
        }

        // a newer edit cancels the run still going: the stale one ends without an answer
        CompletableFuture<EditPreview> stale = admin(() -> previews.previewInBackground(parisId,
                Definition.of(BenchAudiences.playVideo("rome", 30))));
        long begin = System.nanoTime();
        stale.cancel(false);
        CompletableFuture<EditPreview> newer = admin(() -> previews.previewInBackground(parisId,
                saved.get("2 (1) And Premium")));
        newer.get(60, TimeUnit.SECONDS);
        System.out.printf("newest edit answered %.0f ms after it replaced a stale one (stale cancelled: %s)%n",
                (System.nanoTime() - begin) / 1e6, stale.isCancelled());
        System.out.printf("=== What changes? on %,d profiles: median %.0f ms, max %.0f ms over %d previews ===%n",
                profiles, median(all), max(all), all.size());
        assertThat(stale.isCancelled()).isTrue();
    }

    private long activate(long workspaceId, String name, Definition definition) throws InterruptedException {
        long id = admin(() -> audiences.activateAudience(audiences.createAudience(workspaceId, name, null,
                definition).id())).id();
        long start = System.nanoTime();
        long deadline = start + Duration.ofHours(1).toNanos();
        CalculationProgress progress = admin(() -> audiences.progress(id));
        while (progress.calculating() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            progress = admin(() -> audiences.progress(id));
        }
        System.out.printf("calculated %s: %,d members in %.1f s%n", name, progress.size(),
                (System.nanoTime() - start) / 1e9);
        return id;
    }

    private <T> T admin(Supplier<T> work) {
        return fixtures.members().asAdmin(work);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
