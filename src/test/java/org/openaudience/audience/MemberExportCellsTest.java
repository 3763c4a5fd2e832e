package org.openaudience.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;

/** Member downloads are opened in spreadsheets: identity values that would run as formulas are written inert. */
@IntegrationTest
class MemberExportCellsTest {

    @Autowired
    AudienceService audiences;
    @Autowired
    MemberExports exports;
    @Autowired
    CalculationEngine engine;
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

    @Test
    void identity_values_that_spreadsheets_would_run_as_formulas_get_a_leading_quote_in_the_zip() throws Exception {
        TestMembers members = new TestMembers(team, workspaces);
        Workspace workspace = members.workspace("Cells");
        Member user = members.member(Role.USER, workspace);
        TestEvents events = new TestEvents(inputs, ingestion, parser, clock, members);
        Input input = events.webInput(workspace);
        List<String> customerIds = List.of("=HYPERLINK(\\\"https://evil.example\\\",\\\"Click\\\")", "+1", "-2",
                "@SUM(1)", "\\t=1", "\\r=1", "cust-00042");
        for (String customerId : customerIds) {
            events.send(input, """
                    {"user_identities":{"customer_id":"%s"},"events":[{"event_type":"custom_event",
                     "data":{"event_name":"Play Video"}}]}""".formatted(customerId));
        }
        long audienceId = RunAs.member(user.getEmail(), Role.USER, () -> audiences.activateAudience(audiences
                .createAudience(workspace.id(), "Cells", null, Definition.of(EventCriterion.event("Play Video")))
                .id())).id();
        awaitCalculated(audienceId);

        MemberExport started = RunAs.member(user.getEmail(), Role.USER,
                () -> exports.start(audienceId, Set.of("customer_id"), change -> { }));
        MemberExport done = awaitReady(user, started.id());

        List<CSVRecord> rows = membersCsv(done);
        assertThat(rows).extracting(row -> row.get("identity_value")).containsExactlyInAnyOrder(
                "'=HYPERLINK(\"https://evil.example\",\"Click\")", "'+1", "'-2", "'@SUM(1)", "'\t=1", "'\r=1",
                "cust-00042");
        assertThat(rows).allSatisfy(row -> {
            assertThat(Long.parseLong(row.get("mpid"))).as("MPIDs stay numbers, negative ones too").isNotZero();
            assertThat(row.get("identity_type")).isEqualTo("customer_id");
        });
    }

    private void awaitCalculated(long audienceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((engine.progress(audienceId).calculating() || engine.progress(audienceId).bucketsTotal() == 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private MemberExport awaitReady(Member user, String exportId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        MemberExport export = RunAs.member(user.getEmail(), Role.USER, () -> exports.export(exportId));
        while (!export.ready() && export.error() == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
            export = RunAs.member(user.getEmail(), Role.USER, () -> exports.export(exportId));
        }
        assertThat(export.ready()).as(String.valueOf(export.error())).isTrue();
        return export;
    }

    private static List<CSVRecord> membersCsv(MemberExport export) throws Exception {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(export.file()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals("members.csv")) {
                    return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                            .parse(new InputStreamReader(zip, StandardCharsets.UTF_8)).getRecords();
                }
            }
        }
        throw new AssertionError("no members.csv in " + export.file());
    }
}
