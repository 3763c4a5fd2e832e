package org.openaudience.audience.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openaudience.abtest.AbTestService;
import org.openaudience.abtest.ui.AbTestTab;
import org.openaudience.api.ApiTokens;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.audience.MemberExport;
import org.openaudience.audience.MemberExports;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditEntry;
import org.openaudience.audit.AuditFilter;
import org.openaudience.audit.AuditLog;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.testsupport.UiDownloads;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** "Why is this user in?" and the members stream, over HTTP with a token, against the UI's lookup and download. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AudienceMembersApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    ApiTokens tokens;
    @Autowired
    AudienceService audiences;
    @Autowired
    MemberExports exports;
    @Autowired
    AbTestService abTests;
    @Autowired
    AuditLog audit;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    MutableClock clock;

    ApiCallers callers;
    CalculatedAudience scenario;

    /** One calculated audience for the class; none of these tests changes it. */
    @BeforeAll
    void setUp() {
        callers = new ApiCallers(team, workspaces, tokens, port);
        scenario = new CalculatedAudience(callers, new TestEvents(inputs, ingestion, parser, clock, callers.members()),
                audiences);
    }

    // --- explain ---

    @Test
    void explain_by_customer_id_shows_the_profile_membership_and_each_criterions_verdict() {
        RestApiClient.Response response = scenario.user.api().get(scenario.path() + "/explain?customer_id=cust-5");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode explanation = response.json();
        assertThat(explanation.get("audience_id").asLong()).isEqualTo(scenario.audience.id());
        JsonNode profile = explanation.get("profile");
        assertThat(profile.get("identities").get("customer_id").asText()).isEqualTo("cust-5");
        assertThat(profile.get("identities").get("email").asText()).isEqualTo(CalculatedAudience.MEMBER_EMAIL);
        assertThat(profile.get("first_seen").asText()).isNotBlank();
        assertThat(explanation.get("member").asBoolean()).isTrue();
        assertThat(explanation.get("matches_now").asBoolean()).isTrue();
        JsonNode criterion = explanation.get("criteria").get(0);
        assertThat(criterion.get("path").asText()).isEqualTo("1");
        assertThat(criterion.get("criterion").asText()).isEqualTo("Play Video · > 0 in the last 30 days");
        assertThat(criterion.get("matches").asBoolean()).isTrue();
        assertThat(criterion.get("reason").asText()).isEqualTo("1 matching event in the last 30 days, needs > 0");
    }

    @Test
    void explain_by_email_and_by_mpid_find_the_same_user() {
        JsonNode byEmail = scenario.user.api().get(scenario.path() + "/explain?email=ANA@example.com").json();
        assertThat(byEmail.get("profile").get("mpid").isTextual()).as("64-bit MPIDs as strings").isTrue();
        long mpid = byEmail.get("profile").get("mpid").asLong();

        JsonNode byMpid = scenario.user.api().get(scenario.path() + "/explain?mpid=" + mpid).json();

        assertThat(byEmail.get("profile").get("identities").get("customer_id").asText()).isEqualTo("cust-5");
        assertThat(byMpid).isEqualTo(byEmail);
    }

    @Test
    void explain_says_why_a_user_is_not_in() {
        JsonNode explanation = scenario.user.api().get(scenario.path() + "/explain?customer_id="
                + CalculatedAudience.NON_MEMBER).json();

        assertThat(explanation.get("member").asBoolean()).isFalse();
        assertThat(explanation.get("matches_now").asBoolean()).isFalse();
        assertThat(explanation.get("criteria").get(0).get("reason").asText())
                .isEqualTo("0 matching events in the last 30 days, needs > 0");
    }

    @Test
    void explain_of_an_unknown_user_is_a_404_problem() {
        assertProblem(scenario.user.api().get(scenario.path() + "/explain?customer_id=nobody"), 404,
                "No user with customer_id nobody");
        assertProblem(scenario.user.api().get(scenario.path() + "/explain?mpid=12345"), 404, "No user with mpid");
    }

    @Test
    void explain_needs_exactly_one_valid_parameter() {
        assertProblem(scenario.user.api().get(scenario.path() + "/explain"), 400,
                "Give exactly one of mpid, customer_id or email.");
        assertProblem(scenario.user.api().get(scenario.path() + "/explain?mpid=1&email=ana@example.com"), 400,
                "this request gives mpid and email");
        RestApiClient.Response notANumber = scenario.user.api().get(scenario.path() + "/explain?mpid=abc");
        assertProblem(notANumber, 400, "whole number");
        assertThat(notANumber.json().get("errors").get(0).get("field").asText()).isEqualTo("mpid");
        assertProblem(scenario.user.api().get(scenario.path() + "/explain?email=%20"), 400, "Enter a value");
    }

    @Test
    void read_only_may_not_look_users_up_so_explain_is_refused() {
        ApiCallers.Caller readOnly = callers.caller(Role.READ_ONLY, scenario.workspace);

        assertProblem(readOnly.api().get(scenario.path() + "/explain?customer_id=cust-5"), 403, "look up users");
    }

    @Test
    void audiences_only_may_explain() {
        ApiCallers.Caller audiencesOnly = callers.caller(Role.AUDIENCES_ONLY, scenario.workspace);

        assertThat(audiencesOnly.api().get(scenario.path() + "/explain?customer_id=cust-5").status()).isEqualTo(200);
    }

    // --- members ---

    @Test
    void the_csv_stream_equals_the_download_dialogs_members_csv_byte_for_byte() throws Exception {
        RestApiClient.Response response = scenario.user.api().get(scenario.path()
                + "/members?format=csv&identity_types=mpid,customer_id,email");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/csv");
        assertThat(response.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"Video-players-members.csv\"");
        assertThat(response.body()).isEqualTo(uiDownload(scenario.audience.id(), Set.of("customer_id", "email"), null)
                .get("members.csv"));
        assertThat(records(response.body())).as("one row per identity: six ids and two emails").hasSize(8);
    }

    @Test
    void cells_that_spreadsheets_would_run_are_neutralised_and_mpids_stay_numbers() throws Exception {
        String csv = scenario.user.api().get(scenario.path() + "/members?identity_types=customer_id").body();

        List<CSVRecord> rows = records(csv);
        assertThat(rows).extracting(row -> row.get("identity_value")).containsExactlyInAnyOrder(
                "'=HYPERLINK(\"https://evil.example\",\"x\")", "'+1", "'-2", "'@SUM(1)", "cust-5", "cust-6");
        assertThat(rows).allSatisfy(row -> assertThat(Long.parseLong(row.get("mpid"))).isNotZero());
    }

    @Test
    void without_identity_types_the_stream_has_the_dialogs_default_columns() throws Exception {
        String csv = scenario.user.api().get(scenario.path() + "/members").body();

        assertThat(records(csv)).extracting(row -> row.get("identity_type")).containsOnly("customer_id", "email");
        assertThat(scenario.user.api().get(scenario.path() + "/members?identity_types=").body())
                .as("an empty list: MPIDs only").isEqualTo(uiDownload(scenario.audience.id(), Set.of(), null)
                        .get("members.csv"));
    }

    @Test
    void ndjson_has_one_parseable_object_per_csv_row_with_values_as_stored() throws Exception {
        RestApiClient.Response response = scenario.user.api().get(scenario.path()
                + "/members?format=ndjson&identity_types=customer_id,email");
        String csv = scenario.user.api().get(scenario.path() + "/members?identity_types=customer_id,email").body();

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/x-ndjson");
        assertThat(response.header("Content-Disposition")).contains("Video-players-members.ndjson");
        assertThat(response.body()).endsWith("\n");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        List<CSVRecord> rows = records(csv);
        assertThat(lines).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(lines.get(i).get("mpid").isTextual()).as("64-bit MPIDs as strings").isTrue();
            assertThat(lines.get(i).get("mpid").asText()).isEqualTo(rows.get(i).get("mpid"));
            assertThat(lines.get(i).get("scanned_timestamp_ms").asLong())
                    .isEqualTo(Long.parseLong(rows.get(i).get("scanned_timestamp_ms")));
            assertThat(lines.get(i).get("identity_type").asText()).isEqualTo(rows.get(i).get("identity_type"));
        }
        assertThat(lines).extracting(line -> line.get("identity_value").asText())
                .contains("=HYPERLINK(\"https://evil.example\",\"x\")", "ana@example.com");
    }

    @Test
    void the_stream_is_audited_as_a_download_by_the_tokens_member() {
        ApiCallers.Caller downloader = callers.caller(Role.AUDIENCES_ONLY, scenario.workspace);

        assertThat(downloader.api().get(scenario.path() + "/members?identity_types=email").status()).isEqualTo(200);

        assertThat(audit(AuditAction.AUDIENCE_DOWNLOADED)).anySatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo(downloader.member().getEmail());
            assertThat(entry.target()).isEqualTo("Video players");
            assertThat(entry.detail()).isEqualTo("6 rows, identities [email]");
            assertThat(entry.workspaceId()).isEqualTo(scenario.workspace.id());
        });
    }

    @Test
    void a_role_without_download_gets_a_403_problem_and_no_member_data() {
        ApiCallers.Caller readOnly = callers.caller(Role.READ_ONLY, scenario.workspace);

        RestApiClient.Response response = readOnly.api().get(scenario.path() + "/members?identity_types=email");

        assertProblem(response, 403, "download audiences");
        assertThat(response.header("Content-Disposition")).isNull();
        assertThat(response.body()).doesNotContain("ana@example.com").doesNotContain("mpid,");
        assertThat(audit(AuditAction.AUDIENCE_DOWNLOADED)).noneSatisfy(entry ->
                assertThat(entry.actor()).isEqualTo(readOnly.member().getEmail()));
    }

    @Test
    void an_unknown_identity_type_or_format_is_a_400_problem_naming_it() {
        RestApiClient.Response unknownType = scenario.user.api().get(scenario.path()
                + "/members?identity_types=email,shoe_size");
        assertProblem(unknownType, 400, "Unknown identity type \"shoe_size\"");
        assertThat(unknownType.json().get("detail").asText()).contains("customer_id, email");
        assertThat(unknownType.json().get("errors").get(0).get("field").asText()).isEqualTo("identity_types");

        assertProblem(scenario.user.api().get(scenario.path() + "/members?format=xlsx"), 400,
                "Use format csv or ndjson, not \"xlsx\"");
        assertProblem(scenario.user.api().get(scenario.path() + "/members?variation=first"), 400, "variation");
    }

    @Test
    void a_member_limited_to_another_workspace_gets_404_for_members_and_explain() {
        ApiCallers.Caller elsewhere = callers.caller(Role.USER, callers.workspace("Elsewhere"));

        assertProblem(elsewhere.api().get(scenario.path() + "/members"), 404, "does not exist");
        assertProblem(elsewhere.api().get(scenario.path() + "/explain?customer_id=cust-5"), 404, "does not exist");
    }

    @Test
    void each_variation_of_a_saved_ab_test_streams_as_the_dialogs_csv_of_that_variation() throws Exception {
        Audience tested = scenario.activated("Tested " + TestMembers.unique(),
                Definition.of(EventCriterion.event("Play Video")));
        String path = scenario.path(tested.id());
        assertProblem(scenario.user.api().get(path + "/members?variation=1"), 400, "no saved A/B test");
        scenario.asUser(() -> abTests.startTest(tested.id()));
        scenario.asUser(() -> abTests.addVariation(tested.id(), 50, "Half price"));
        scenario.asUser(() -> abTests.saveTest(tested.id()));
        java.util.Map<String, String> dialog = uiDownload(tested.id(), Set.of("customer_id"),
                scenario.asUser(() -> AbTestTab.variationsOf(abTests, tested.id())));

        RestApiClient.Response control = scenario.user.api().get(path + "/members?identity_types=customer_id"
                + "&variation=0");
        RestApiClient.Response half = scenario.user.api().get(path + "/members?identity_types=customer_id"
                + "&variation=1");

        assertThat(control.body()).isEqualTo(dialog.getOrDefault("members-control.csv", header()));
        assertThat(half.body()).isEqualTo(dialog.getOrDefault("members-half-price.csv", header()));
        assertThat(half.header("Content-Disposition")).contains("-members-half-price.csv");
        assertThat(records(control.body()).size() + records(half.body()).size()).isEqualTo(6);
        assertProblem(scenario.user.api().get(path + "/members?variation=2"), 400,
                "Variation 2 does not exist; use 0 (Control) to 1.");
    }

    @Test
    void the_openapi_document_describes_the_read_operations_and_the_streams_media_types() {
        JsonNode paths = callers.client(null).get("/api/v1/openapi.json").json().get("paths");
        String audience = "/api/v1/workspaces/{workspaceId}/audiences/{audienceId}";

        for (String part : List.of("/progress", "/runs", "/versions", "/versions/{version}", "/explain", "/members")) {
            assertThat(paths.path(audience + part).path("get").path("summary").asText()).as(part).isNotBlank();
        }
        JsonNode members = paths.path(audience + "/members").path("get").path("responses");
        assertThat(members.path("200").path("content").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("text/csv", "application/x-ndjson");
        assertThat(members.path("403").path("content").has("application/problem+json")).isTrue();
    }

    /** The Download dialog's ZIP for the same audience and identity types: its CSVs by file name. */
    private java.util.Map<String, String> uiDownload(long audienceId, Set<String> types,
                                                     LongFunction<String> variationOf) {
        return UiDownloads.download(exports, scenario.user.member(), audienceId, types, variationOf);
    }

    private static String header() {
        return "mpid,scanned_timestamp_ms,identity_value,identity_type\r\n";
    }

    private static List<CSVRecord> records(String csv) throws java.io.IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(csv)).getRecords();
    }

    private List<AuditEntry> audit(AuditAction action) {
        return callers.members().asAdmin(() -> audit.page(new AuditFilter(Set.of(action), null, null, null), 0, 50)
                .toList());
    }
}
