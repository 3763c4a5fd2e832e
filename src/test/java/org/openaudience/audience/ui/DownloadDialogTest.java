package org.openaudience.audience.ui;

import org.openaudience.base.ui.Counts;
import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.abtest.AbTest;
import org.openaudience.abtest.AbTestService;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Download members from the audience page: identities as rows, and a chosen subset of the A/B variations. */
class DownloadDialogTest extends KaribuTest {

    static final int CUSTOMERS = 12;

    @Autowired
    AudienceService audiences;
    @Autowired
    AbTestService abTests;
    @Autowired
    CalculationEngine engine;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    JdbcClient jdbc;

    Workspace workspace;
    Member user;
    Audience viewers;

    /** "Video viewers": twelve customers, each with a customer id and an email, calculated. */
    @BeforeEach
    void twelveViewers() throws Exception {
        workspace = members.workspace("Download");
        user = members.member(Role.USER, workspace);
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        var input = events.webInput(workspace);
        for (int i = 0; i < CUSTOMERS; i++) {
            events.send(input, """
                    {"user_identities":{"customer_id":"dl-%d","email":"dl-%d@example.com"},
                     "events":[{"event_type":"custom_event","data":{"event_name":"Play Video"}}]}"""
                    .formatted(i, i));
        }
        viewers = asUser(() -> audiences.activateAudience(audiences.createAudience(workspace.id(), "Video viewers",
                null, Definition.of(EventCriterion.event("Play Video"))).id()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((engine.progress(viewers.id()).calculating() || engine.progress(viewers.id()).size() < CUSTOMERS)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.progress(viewers.id()).size()).isEqualTo(CUSTOMERS);
        login(user);
    }

    <T> T asUser(java.util.function.Supplier<T> work) {
        return RunAs.member(user.getEmail(), Role.USER, work);
    }

    DownloadDialog openDownload() {
        navigate("audiences/" + viewers.id());
        _click(_get(AudienceView.class).download);
        return _get(DownloadDialog.class);
    }

    /** Waits for the export and reads its ZIP: entry name → text. */
    static Map<String, String> download(DownloadDialog dialog) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!dialog.download.isVisible() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            dialog.refresh();
        }
        assertThat(dialog.download.isVisible()).as("export ready").isTrue();
        Map<String, String> entries = new HashMap<>();
        try (var zip = new ZipInputStream(Files.newInputStream(dialog.export().file()))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    @Test
    void the_helper_text_says_each_identity_is_a_row_and_the_file_has_one_per_identity() throws Exception {
        DownloadDialog dialog = openDownload();
        assertThat(dialog.identityTypes.getHelperText()).startsWith("Each identity is a row");
        assertThat(dialog.identityTypes.getValue()).containsExactlyInAnyOrder("customer_id", "email");
        assertThat(dialog.variations.getParent()).as("no saved A/B test: nothing to choose").isEmpty();

        _click(dialog.start);
        Map<String, String> entries = download(dialog);
        assertThat(entries.keySet()).containsExactlyInAnyOrder("members.csv", "manifest.json");
        assertThat(entries.get("members.csv").lines().skip(1)).hasSize(2 * CUSTOMERS);
        assertThat(dialog.status.getText()).isEqualTo("12 members ready.");
    }

    @Test
    void chosen_variations_are_exported_one_csv_each_and_named_in_the_manifest_and_the_audit_log() throws Exception {
        AbTest test = asUser(() -> {
            abTests.startTest(viewers.id());
            abTests.addVariation(viewers.id(), 30, "Half price");
            abTests.addVariation(viewers.id(), 20, "Free night");
            return abTests.saveTest(viewers.id());
        });
        DownloadDialog dialog = openDownload();
        assertThat(dialog.variations.getListDataView().getItems().toList())
                .containsExactly("Control", "Half price", "Free night");
        assertThat(dialog.variations.getValue()).as("all at first").hasSize(3);

        _setValue(dialog.variations, Set.of("Free night", "Control"));
        _click(dialog.start);
        Map<String, String> entries = download(dialog);

        Map<String, Set<String>> expected = new HashMap<>(Map.of("members-control.csv", new HashSet<>(),
                "members-free-night.csv", new HashSet<>()));
        for (long mpid : engine.members(viewers.id(), 0, 100)) {
            String variation = test.variationOf(mpid).name();
            if (!variation.equals("Half price")) {
                expected.get("members-" + variation.replace(' ', '-').toLowerCase() + ".csv").add(Long.toString(mpid));
            }
        }
        assertThat(entries.keySet()).containsExactlyInAnyOrder("members-control.csv", "members-free-night.csv",
                "manifest.json");
        long rows = 0;
        for (var file : expected.entrySet()) {
            List<String> lines = entries.get(file.getKey()).lines().skip(1).toList();
            assertThat(lines.stream().map(line -> line.split(",")[0]).collect(Collectors.toSet()))
                    .as(file.getKey()).isEqualTo(file.getValue());
            assertThat(lines).as("one row per identity").hasSize(2 * file.getValue().size());
            rows += lines.size();
        }
        JsonNode manifest = new ObjectMapper().readTree(entries.get("manifest.json"));
        assertThat(manifest.get("variations").toString()).isEqualTo("[\"Control\",\"Free night\"]");
        int exported = expected.values().stream().mapToInt(Set::size).sum();
        assertThat(manifest.get("members").asInt()).isEqualTo(exported);
        assertThat(dialog.status.getText()).isEqualTo(Counts.of(exported, "member", "members") + " ready.");
        assertThat(jdbc.sql("SELECT detail FROM audit_entry WHERE action = 'AUDIENCE_DOWNLOADED' AND workspace_id = ?"
                        + " ORDER BY id DESC LIMIT 1").param(workspace.id()).query(String.class).single())
                .isEqualTo(rows + " rows, identities [customer_id, email], variations [Control, Free night]");
    }

    @Test
    void choosing_no_variation_is_refused_and_starts_nothing() {
        asUser(() -> {
            abTests.startTest(viewers.id());
            abTests.addVariation(viewers.id(), 50, "Half price");
            return abTests.saveTest(viewers.id());
        });
        DownloadDialog dialog = openDownload();
        _setValue(dialog.variations, Set.of());
        _click(dialog.start);
        assertThat(dialog.variations.isInvalid()).isTrue();
        assertThat(dialog.variations.getErrorMessage()).isEqualTo("Choose at least one variation.");
        assertThat(dialog.export()).isNull();
        assertThat(dialog.start.isEnabled()).isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'AUDIENCE_DOWNLOADED'"
                + " AND workspace_id = ?").param(workspace.id()).query(Long.class).single()).isZero();
    }
}
