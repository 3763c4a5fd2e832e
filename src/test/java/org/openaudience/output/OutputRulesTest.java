package org.openaudience.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audience.AudienceService;
import org.openaudience.base.AccessRefusedException;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.TimeSweep;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;

/** Setup › Outputs rules and roles, and the CSV file drop: one file per batch with adds and removes. */
@IntegrationTest
class OutputRulesTest {

    @Autowired
    OutputService outputs;
    @Autowired
    ConnectionService connections;
    @Autowired
    DeliveryWorker worker;
    @Autowired
    FileDropRoot fileDropRoot;
    @Autowired
    AudienceService audiences;
    @Autowired
    CalculationEngine engine;
    @Autowired
    TimeSweep timeSweep;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    MutableClock clock;

    TestMembers members;
    DeliveryFixture fixture;

    @BeforeEach
    void paris_viewers() {
        members = new TestMembers(team, workspaces);
        fixture = new DeliveryFixture(members, new TestEvents(inputs, ingestion, parser, clock, members), audiences,
                engine, worker, clock, 12);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void outputs_refuse_what_cannot_work_and_keep_the_secret_when_left_empty() {
        long workspaceId = fixture.workspace.id();
        assertRefused(OutputSettings.webhook("Hook", "ftp://example.com/x", null), "url");
        assertRefused(OutputSettings.webhook("Hook", "not a url", null), "url");
        assertRefused(OutputSettings.webhook("Hook", "https://example.com/x", "short"), "secret");
        assertRefused(new OutputSettings("Hook", OutputKind.WEBHOOK, "https://example.com/x", null,
                "Host: evil.example", null, 10, 3), "headers");
        assertRefused(new OutputSettings("Hook", OutputKind.WEBHOOK, "https://example.com/x", null,
                "no colon here", null, 10, 3), "headers");
        assertRefused(OutputSettings.webhook("Hook", "https://example.com/x", null).withBatchSize(0), "batchSize");
        assertRefused(OutputSettings.fileDrop("Drop", "../outside"), "folder");
        assertRefused(OutputSettings.fileDrop("Drop", "/etc"), "folder");

        Output hook = fixture.asUser(() -> outputs.createOutput(workspaceId, new OutputSettings("Hook",
                OutputKind.WEBHOOK, " https://example.com/hook ", null, "Authorization: Bearer abc\n\nX-Team:  crm ",
                null, 100, 5)));
        assertThat(hook.url()).isEqualTo("https://example.com/hook");
        assertThat(hook.secret()).hasSize(48);
        assertThat(hook.headers()).isEqualTo("Authorization: Bearer abc\nX-Team: crm");
        Output renamed = fixture.asUser(() -> outputs.updateOutput(hook.id(), new OutputSettings("Hook 2",
                OutputKind.WEBHOOK, hook.url(), "", hook.headers(), null, 200, 5)));
        assertThat(renamed.secret()).isEqualTo(hook.secret());
        assertThat(renamed.batchSize()).isEqualTo(200);
        assertRefused(OutputSettings.webhook("hook 2", "https://example.com/y", null), "name");
    }

    @Test
    void a_connected_output_cannot_be_deleted_and_audiences_only_connects_but_does_not_configure() {
        long workspaceId = fixture.workspace.id();
        Output hook = fixture.asUser(() -> outputs.createOutput(workspaceId,
                OutputSettings.webhook("Hook", "https://example.com/hook", null)));
        Member audiencesOnly = members.member(Role.AUDIENCES_ONLY, fixture.workspace);
        Member readOnly = members.member(Role.READ_ONLY, fixture.workspace);
        assertThatThrownBy(() -> RunAs.member(audiencesOnly.getEmail(), Role.AUDIENCES_ONLY, () ->
                outputs.createOutput(workspaceId, OutputSettings.webhook("Mine", "https://example.com/x", null))))
                .isInstanceOf(AccessRefusedException.class);
        assertThat(RunAs.member(audiencesOnly.getEmail(), Role.AUDIENCES_ONLY, () -> outputs.choices(workspaceId)))
                .extracting(OutputChoice::name).containsExactly("Hook");
        assertThatThrownBy(() -> RunAs.member(readOnly.getEmail(), Role.READ_ONLY, () ->
                connections.connect(fixture.audience.id(), null, hook.id(), Set.of())))
                .isInstanceOf(AccessRefusedException.class);
        Connection connection = RunAs.member(audiencesOnly.getEmail(), Role.AUDIENCES_ONLY, () ->
                connections.connect(fixture.audience.id(), null, hook.id(), Set.of("email")));
        assertThat(RunAs.member(readOnly.getEmail(), Role.READ_ONLY, () ->
                connections.connections(fixture.audience.id()))).extracting(Connection::id)
                .containsExactly(connection.id());

        assertThatThrownBy(() -> fixture.asUser(() -> connections.connect(fixture.audience.id(), null, hook.id(),
                Set.of()))).isInstanceOf(InvalidRequestException.class).hasMessageContaining("already connected");
        assertThatThrownBy(() -> fixture.asUser(() -> connections.connect(fixture.audience.id(), 1, hook.id(),
                Set.of()))).isInstanceOf(InvalidRequestException.class).hasMessageContaining("Save the A/B test");
        assertThatThrownBy(() -> fixture.asUser(() -> {
            outputs.deleteOutput(hook.id());
            return null;
        })).isInstanceOf(InvalidRequestException.class).hasMessageContaining("connected to Paris viewers");
        fixture.asUser(() -> connections.disconnect(connection.id()));
        fixture.asUser(() -> outputs.deleteOutput(hook.id()));
        assertThat(fixture.asUser(() -> outputs.count(workspaceId))).isZero();
    }

    @Test
    void a_file_drop_gets_one_csv_per_batch_with_adds_then_removes() throws IOException {
        String folder = "drops/" + TestMembers.unique();
        Output drop = fixture.asUser(() -> outputs.createOutput(fixture.workspace.id(),
                OutputSettings.fileDrop("Drop", folder).withBatchSize(5)));
        fixture.asUser(() -> connections.connect(fixture.audience.id(), null, drop.id(), Set.of("email")));
        worker.deliverDue();
        clock.advance(java.time.Duration.ofDays(8));
        timeSweep.sweepExpired();
        fixture.awaitSize(0);
        worker.deliverDue();

        Path dir = fileDropRoot.resolve(fixture.workspace.id(), folder);
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.sorted().toList();
        }
        assertThat(files).extracting(file -> file.getFileName().toString()).allMatch(name ->
                name.matches("paris-viewers-c\\d+-00000000[1-6]\\.csv")).hasSize(3 + 3);
        List<CSVRecord> rows = new ArrayList<>();
        for (Path file : files) {
            try (Reader reader = Files.newBufferedReader(file)) {
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)
                        .forEach(rows::add);
            }
        }
        assertThat(rows).hasSize(24);
        assertThat(rows.subList(0, 12)).allSatisfy(row -> {
            assertThat(row.get("action")).isEqualTo("add");
            assertThat(row.get("identity_type")).isEqualTo("email");
            assertThat(row.get("identity_value")).matches("v-\\d+@example.com");
        });
        assertThat(rows.subList(12, 24)).allSatisfy(row -> assertThat(row.get("action")).isEqualTo("remove"));
        assertThat(rows.get(0).get("external_name")).isEqualTo("Paris viewers");
    }

    private void assertRefused(OutputSettings settings, String field) {
        assertThatThrownBy(() -> fixture.asUser(() -> outputs.createOutput(fixture.workspace.id(), settings)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
