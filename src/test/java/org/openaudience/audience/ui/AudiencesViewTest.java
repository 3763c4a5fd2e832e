package org.openaudience.audience.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.ContextMenuKt;
import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.NotificationsKt;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.menubar.MenuBar;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceDetails;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.AudienceStatus;
import org.openaudience.audience.AudienceSummary;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.MembershipCriterion;
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

class AudiencesViewTest extends KaribuTest {

    @Autowired
    AudienceService audiences;
    @Autowired
    AudienceDetails audienceDetails;
    @Autowired
    CalculationEngine engine;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Workspace workspace;
    Member user;
    Audience viewers;

    @BeforeEach
    void twoAudiencesOneCalculated() throws Exception {
        workspace = members.workspace("List");
        user = members.member(Role.USER, workspace);
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        var input = events.webInput(workspace);
        for (int i = 0; i < 3; i++) {
            events.send(input, """
                    {"user_identities":{"customer_id":"list-%d"},"events":[{"event_type":"custom_event",
                     "data":{"event_name":"Play Video"}}]}""".formatted(i));
        }
        viewers = RunAs.member(user.getEmail(), Role.USER, () -> {
            Audience created = audiences.createAudience(workspace.id(), "Video viewers", null,
                    Definition.of(EventCriterion.event("Play Video")));
            audienceDetails.updateDetails(created.id(), "Video viewers", null, "", Set.of("video"));
            return audiences.activateAudience(created.id());
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (engine.progress(viewers.id()).calculating() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        RunAs.member(user.getEmail(), Role.USER, () -> audiences.createAudience(workspace.id(), "Lapsed draft", null,
                new Definition(Group.of(new MembershipCriterion(viewers.id(), false)), null)));
        login(user);
        navigate("audiences");
    }

    @Test
    void the_list_shows_status_size_adds_and_filters_by_name_status_and_tag() {
        AudiencesView view = _get(AudiencesView.class);
        assertThat(GridKt._size(view.grid)).isEqualTo(2);
        AudienceSummary first = GridKt._get(view.grid, 1);
        assertThat(first.audience().name()).isEqualTo("Video viewers");
        assertThat(GridKt._getFormattedRow(view.grid, 1)).contains("Video viewers", "Active", "+3 / −0", "video");
        ProgressPie size = (ProgressPie) GridKt._getCellComponent(view.grid, 1, "size");
        assertThat(size.getElement().getTextRecursively()).isEqualTo("3");
        assertThat(GridKt._getCellComponent(view.grid, 0, "size").getElement().getTextRecursively())
                .as("a draft has no size yet").isEqualTo("—");

        _setValue(view.search, "VIDEO");
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        _setValue(view.search, "");
        _setValue(view.status, AudienceStatus.DRAFT);
        assertThat(GridKt._get(view.grid, 0).audience().name()).isEqualTo("Lapsed draft");
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
        _setValue(view.status, null);
        _setValue(view.tags, Set.of("video"));
        assertThat(GridKt._size(view.grid)).isEqualTo(1);
    }

    @Test
    void a_calculating_audience_shows_a_labelled_progress_pie() {
        ProgressPie pie = new ProgressPie(new org.openaudience.calculation.CalculationProgress(0, true, 41, 64, 12,
                null));
        assertThat(pie.getElement().getTextRecursively()).isEqualTo("12");
        var drawn = pie.getChildren().filter(child -> child.hasClassName("progress-pie")).findFirst().orElseThrow();
        assertThat(drawn.getElement().getAttribute("aria-label")).isEqualTo("Calculating — 64%");
        assertThat(drawn.getElement().getStyle().get("background")).contains("230.4deg");
    }

    @Test
    void a_failed_calculation_shows_failed_and_retry_calculation_calculates_the_audience_again() throws Exception {
        jdbc.sql("UPDATE calculation_run SET status = 'FAILED', error = 'simulated failure' WHERE audience_id = ?")
                .param(viewers.id()).update();
        navigate("audiences");
        AudiencesView view = _get(AudiencesView.class);
        assertThat(com.github.mvysny.kaributesting.v10.LocatorJ._find(
                (com.vaadin.flow.component.Component) GridKt._getCellComponent(view.grid, 1, "size"),
                com.vaadin.flow.component.html.Span.class, spec -> spec.withText("Failed"))).hasSize(1);

        ContextMenuKt._clickItemWithCaption((MenuBar) GridKt._getCellComponent(view.grid, 1, "actions"),
                "Retry calculation");
        NotificationsKt.expectNotifications("Calculating Video viewers again");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (engine.progress(viewers.id()).calculating() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(engine.progress(viewers.id()).lastError()).isNull();
        assertThat(engine.progress(viewers.id()).size()).isEqualTo(3);
        navigate("audiences");
        MenuBar actions = (MenuBar) GridKt._getCellComponent(_get(AudiencesView.class).grid, 1, "actions");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContextMenuKt._clickItemWithCaption(actions,
                "Retry calculation")).as("only a failed calculation is retried").isInstanceOf(AssertionError.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunAs.member(user.getEmail(), Role.USER,
                () -> audiences.retryCalculation(viewers.id()))).hasMessageContaining("whose calculation failed");
    }

    @Test
    void deleting_an_audience_another_one_uses_is_refused_with_the_users_name() {
        AudiencesView view = _get(AudiencesView.class);
        MenuBar actions = (MenuBar) GridKt._getCellComponent(view.grid, 1, "actions");
        ContextMenuKt._clickItemWithCaption(actions, "Delete");
        assertThat(com.github.mvysny.kaributesting.v10.LocatorJ._find(ConfirmDialog.class))
                .as("refused before asking").isEmpty();
        NotificationsKt.expectNotifications("\"Video viewers\" is used in the Audience membership criteria of "
                + "\"Lapsed draft\"; remove those criteria first.");
        assertThat(GridKt._size(view.grid)).isEqualTo(2);

        ContextMenuKt._clickItemWithCaption((MenuBar) GridKt._getCellComponent(view.grid, 1, "actions"), "Clone");
        assertThat(GridKt._size(view.grid)).isEqualTo(3);
    }

    @Test
    void a_clone_delivers_under_its_own_external_name_numbered_like_its_name() {
        RunAs.member(user.getEmail(), Role.USER, () -> audienceDetails.updateDetails(viewers.id(), "Video viewers",
                "VIDEO_VIEWERS", "", Set.of("video")));
        AudiencesView view = _get(AudiencesView.class);

        ContextMenuKt._clickItemWithCaption((MenuBar) GridKt._getCellComponent(view.grid, 1, "actions"), "Clone");
        NotificationsKt.expectNotifications("Cloned Video viewers as the draft Video viewers (copy), sent to outputs "
                + "as VIDEO_VIEWERS (copy)");
        ContextMenuKt._clickItemWithCaption((MenuBar) GridKt._getCellComponent(view.grid, 1, "actions"), "Clone");
        NotificationsKt.expectNotifications("Cloned Video viewers as the draft Video viewers (copy 2), sent to "
                + "outputs as VIDEO_VIEWERS (copy 2)");

        assertThat(GridKt._size(view.grid)).isEqualTo(4);
        assertThat(java.util.stream.IntStream.range(0, 4).mapToObj(row -> GridKt._get(view.grid, row).audience())
                .map(audience -> audience.name() + " → " + audience.externalName()))
                .containsExactlyInAnyOrder("Lapsed draft → Lapsed draft", "Video viewers → VIDEO_VIEWERS",
                        "Video viewers (copy) → VIDEO_VIEWERS (copy)",
                        "Video viewers (copy 2) → VIDEO_VIEWERS (copy 2)");
    }

    @Test
    void read_only_members_see_the_list_without_actions() {
        switchMember(members.member(Role.READ_ONLY, workspace));
        navigate("audiences");
        AudiencesView view = _get(AudiencesView.class);
        assertThat(GridKt._size(view.grid)).isEqualTo(2);
        assertThat(view.newAudience.isVisible()).isFalse();
        MenuBar actions = (MenuBar) GridKt._getCellComponent(view.grid, 0, "actions");
        assertThat(actions.getItems().get(0).getSubMenu().getItems()).extracting(item -> item.getText())
                .containsExactly("Open");
    }

    @Test
    void download_members_exports_a_zip_with_the_chosen_identities_and_a_manifest() throws Exception {
        AudiencesView view = _get(AudiencesView.class);
        ContextMenuKt._clickItemWithCaption((MenuBar) GridKt._getCellComponent(view.grid, 1, "actions"),
                "Download members");
        DownloadDialog dialog = _get(DownloadDialog.class);
        assertThat(dialog.identityTypes.getValue()).containsExactly("customer_id");
        com.github.mvysny.kaributesting.v10.LocatorJ._click(dialog.start);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!dialog.download.isVisible() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            dialog.refresh();
        }
        assertThat(dialog.download.isVisible()).isTrue();
        assertThat(dialog.status.getText()).isEqualTo("3 members ready.");

        java.util.Map<String, String> entries = new java.util.HashMap<>();
        try (var zip = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(dialog.export().file()))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        java.util.List<String> lines = entries.get("members.csv").lines().toList();
        assertThat(lines.get(0)).isEqualTo("mpid,scanned_timestamp_ms,identity_value,identity_type");
        long scanned = clock.millis();
        assertThat(lines.subList(1, lines.size())).hasSize(3)
                .allSatisfy(line -> assertThat(line).matches("-?[0-9]+," + scanned + ",list-[0-2],customer_id"));
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(entries.get("manifest.json"));
        assertThat(manifest.get("audience_name").asText()).isEqualTo("Video viewers");
        assertThat(manifest.get("members").asLong()).isEqualTo(3);
        var file = manifest.get("files").get(0);
        assertThat(file.get("name").asText()).isEqualTo("members.csv");
        assertThat(file.get("rows").asLong()).isEqualTo(3);
        assertThat(file.get("identity_counts").get("customer_id").asLong()).isEqualTo(3);
        assertThat(file.get("min_scanned_timestamp_ms").asLong()).isEqualTo(scanned);
    }

    @Autowired
    org.openaudience.abtest.AbTestService abTests;

    @Autowired
    org.openaudience.output.OutputService outputs;
    @Autowired
    org.openaudience.output.ConnectionService connections;

    @Test
    void the_connected_outputs_column_counts_each_audiences_connections() {
        RunAs.member(user.getEmail(), Role.USER, () -> connections.connect(viewers.id(), null, outputs.createOutput(
                workspace.id(), org.openaudience.output.OutputSettings.webhook("Hook", "http://127.0.0.1:9/h", null))
                .id(), Set.of()));
        AudiencesView view = _get(AudiencesView.class);
        view.refresh();
        assertThat(GridKt._getFormatted(view.grid, 1, "outputs")).isEqualTo("1");
        assertThat(GridKt._getFormatted(view.grid, 0, "outputs")).isEqualTo("0");
    }

    @Test
    void an_audience_with_a_saved_ab_test_downloads_one_csv_per_variation() throws Exception {
        var test = RunAs.member(user.getEmail(), Role.USER, () -> {
            abTests.startTest(viewers.id());
            abTests.addVariation(viewers.id(), 50, "Half price");
            return abTests.saveTest(viewers.id());
        });
        AudiencesView view = _get(AudiencesView.class);
        view.refresh();
        assertThat(GridKt._getFormattedRow(view.grid, 1)).contains("A/B · 2");
        assertThat(GridKt._getFormattedRow(view.grid, 0)).doesNotContain("A/B · 2");
        ContextMenuKt._clickItemWithCaption((MenuBar) GridKt._getCellComponent(view.grid, 1, "actions"),
                "Download members");
        DownloadDialog dialog = _get(DownloadDialog.class);
        com.github.mvysny.kaributesting.v10.LocatorJ._click(dialog.start);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!dialog.download.isVisible() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            dialog.refresh();
        }
        java.util.Map<String, String> entries = new java.util.HashMap<>();
        try (var zip = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(dialog.export().file()))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        java.util.Map<String, java.util.Set<String>> expected = new java.util.HashMap<>();
        for (long mpid : engine.members(viewers.id(), 0, 10)) {
            String file = "members-" + test.variationOf(mpid).name().replace(' ', '-').toLowerCase() + ".csv";
            expected.computeIfAbsent(file, f -> new java.util.HashSet<>()).add(Long.toString(mpid));
        }
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
                expected.keySet().stream(), java.util.stream.Stream.of("manifest.json")).toList());
        expected.forEach((file, mpids) -> assertThat(entries.get(file).lines().skip(1)
                .map(line -> line.split(",")[0]).collect(java.util.stream.Collectors.toSet())).isEqualTo(mpids));
        assertThat(entries.get("manifest.json")).contains("\"variation\" : \"");
    }
}
