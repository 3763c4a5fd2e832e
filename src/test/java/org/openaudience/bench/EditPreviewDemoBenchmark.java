package org.openaudience.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudiencePreview;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.EditPreview;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Frequency;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.criteria.Window;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 16's "What changes?" latency at the demo's size: a fresh install with the demo profile (3,000 users, ~30
 * days of events through the Events API path, its four sample audiences calculated), then edits of each audience
 * previewed as the Build tab does, timed on the service and end to end through the worker. Run with
 * {@code ./mvnw -Pbench test -Dtest=EditPreviewDemoBenchmark} (see docs/benchmarks.md).
 */
@Tag("bench")
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // the service's timed line: checks, sample query and explanations
        properties = "logging.level.org.openaudience.audience.AudiencePreview=DEBUG")
@ActiveProfiles({"demo", "test"})
class EditPreviewDemoBenchmark {

    static final int RUNS = 10;

    @DynamicPropertySource
    static void freshInstall(DynamicPropertyRegistry registry) {
        String url = TestDatabase.freshDatabase("preview");
        registry.add("spring.datasource.url", () -> url);
        registry.add("openaudience.demo.trickle", () -> "false");
    }

    @Autowired
    AudiencePreview previews;
    @Autowired
    AudienceService audiences;
    @Autowired
    JdbcClient jdbc;
    @Value("${openaudience.admin.email}")
    String adminEmail;

    static EventCriterion paris(String destination) {
        return EventCriterion.event("Play Video", Condition.of("destination", DataType.STRING, Operator.EXACT_MATCH,
                destination));
    }

    static UserCriterion status(String status) {
        return UserCriterion.attribute("status", DataType.STRING, Operator.EXACT_MATCH, status);
    }

    @Test
    void what_changes_answers_within_a_second_at_the_demos_size() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        while (System.nanoTime() < deadline && jdbc.sql("SELECT COUNT(*) FROM calculation_run WHERE status = 'DONE'")
                .query(Long.class).single() < 4) {
            Thread.sleep(500);
        }
        long profiles = jdbc.sql("SELECT COUNT(*) FROM profile").query(Long.class).single();
        long events = jdbc.sql("SELECT COUNT(*) FROM event").query(Long.class).single();
        System.out.printf("%n=== Demo data: %,d profiles, %,d events ===%n", profiles, events);
        Map<String, Long> ids = new LinkedHashMap<>();
        jdbc.sql("SELECT name, id FROM audience ORDER BY id").query((rs, row) -> ids.put(rs.getString(1),
                rs.getLong(2))).list();

        Map<String, Definition> edits = new LinkedHashMap<>();
        edits.put("Paris video viewers -> And status Premium", new Definition(Group.of(paris("paris"))
                .then(Connector.AND, status("Premium")), java.util.Set.of()));
        edits.put("Paris video viewers -> destination Rome", Definition.of(paris("Rome")));
        edits.put("Premium travellers -> Exclude Paris viewers", new Definition(Group.of(status("premium"))
                .then(Connector.EXCLUDE, paris("paris")), java.util.Set.of()));
        edits.put("Cart abandoners 7d -> 30 days", new Definition(Group.of(new EventCriterion(EventKind.ECOMMERCE,
                "add_to_cart", null, List.of(), Frequency.ANY, new Window.LastDays(30))).then(Connector.EXCLUDE,
                new EventCriterion(EventKind.ECOMMERCE, "purchase", null, List.of(), Frequency.ANY,
                        new Window.LastDays(30))), java.util.Set.of()));
        edits.put("Frequent searchers -> at least 2 in 30 days", Definition.of(new EventCriterion(EventKind.EVENT,
                "Search", null, List.of(), Frequency.of(Frequency.Comparison.AT_LEAST, 2), new Window.LastDays(30))));

        List<Double> all = new ArrayList<>();
        for (Map.Entry<String, Definition> edit : edits.entrySet()) {
            String name = edit.getKey().substring(0, edit.getKey().indexOf(" -> "));
            long audienceId = ids.get(name);
            admin(() -> previews.preview(audienceId, edit.getValue())); // warm-up
            List<Double> service = new ArrayList<>();
            EditPreview preview = null;
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                preview = admin(() -> previews.preview(audienceId, edit.getValue()));
                service.add((System.nanoTime() - start) / 1e6);
            }
            List<Double> background = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                admin(() -> previews.previewInBackground(audienceId, edit.getValue())).get(30, TimeUnit.SECONDS);
                background.add((System.nanoTime() - start) / 1e6);
            }
            all.addAll(background);
            EditPreview shown = preview;
            Audience audience = admin(() -> audiences.audience(audienceId));
            System.out.printf("%-48s members %,6d: %,5d leave, %,5d join (%s, %d + %d listed) | service median %5.0f"
                            + " ms, max %5.0f ms | through the worker median %5.0f ms, max %5.0f ms%n",
                    edit.getKey(), admin(() -> audiences.progress(audience.id())).size(), shown.leaving(),
                    shown.joining(), shown.exact() ? "exact" : shown.samplePercent() + " % sample",
                    shown.leavers().size(), shown.joiners().size(), median(service), max(service),
                    median(background), max(background));
        }
        System.out.printf("=== What changes? at the demo's size: median %.0f ms, max %.0f ms over %d previews ===%n",
                median(all), max(all), all.size());
        assertThat(all).hasSize(edits.size() * RUNS);
    }

    private <T> T admin(Supplier<T> work) {
        return RunAs.member(adminEmail, Role.ADMIN, work);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
