package org.openaudience.output.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.abtest.AbTestService;
import org.openaudience.api.ApiTokens;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.output.ConnectionService;
import org.openaudience.output.OutputService;
import org.openaudience.output.OutputSettings;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.CalculatedAudiences;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.testsupport.WebhookReceiver;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Outputs over HTTP: what they are and how much is connected, never a secret; who may list them. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OutputsApiTest {

    static final String SECRET = "hmac-secret-0f3b9d2e71";
    static final String HEADER_VALUE = "Bearer crm-header-value-5a8c";
    static final String URL_TOKEN = "url-token-77d1";

    @LocalServerPort
    int port;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    ApiTokens tokens;
    @Autowired
    OutputService outputs;
    @Autowired
    ConnectionService connections;
    @Autowired
    AudienceService audiences;
    @Autowired
    AbTestService abTests;
    @Autowired
    CalculatedAudiences calculated;

    ApiCallers callers;
    Workspace workspace;
    ApiCallers.Caller user;
    WebhookReceiver receiver;
    long webhookId;
    String folder;

    @BeforeEach
    void a_webhook_with_credentials_and_a_file_drop() {
        callers = new ApiCallers(team, workspaces, tokens, port);
        workspace = callers.workspace("Outputs API");
        user = callers.caller(Role.USER, workspace);
        receiver = new WebhookReceiver(0);
        OutputSettings webhook = new OutputSettings("CRM", org.openaudience.output.OutputKind.WEBHOOK,
                receiver.url() + "?token=" + URL_TOKEN, SECRET, "Authorization: " + HEADER_VALUE, null,
                OutputSettings.DEFAULT_BATCH_SIZE, OutputSettings.DEFAULT_MAX_ATTEMPTS);
        webhookId = asUser(() -> outputs.createOutput(workspace.id(), webhook)).id();
        folder = "drops-" + TestMembers.unique();
        asUser(() -> outputs.createOutput(workspace.id(), OutputSettings.fileDrop("Archive", folder)));
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    private String outputsPath() {
        return "/api/v1/workspaces/" + workspace.id() + "/outputs";
    }

    @Test
    void the_list_shows_name_kind_destination_and_connected_audiences_by_name() {
        long first = audience("First");
        long second = audience("Second");
        asUser(() -> abTests.putTest(first, List.of(new AbTestService.VariationShare("B", 50))));
        asUser(() -> connections.connect(first, null, webhookId, Set.of("email")));
        asUser(() -> connections.connect(first, 1, webhookId, Set.of("email")));
        asUser(() -> connections.connect(second, null, webhookId, Set.of()));

        RestApiClient.Response response = user.api().get(outputsPath());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode page = response.json();
        assertThat(page.get("total").asLong()).isEqualTo(2);
        JsonNode archive = page.get("items").get(0);
        assertThat(archive.get("name").asText()).isEqualTo("Archive");
        assertThat(archive.get("kind").asText()).isEqualTo("FILE_DROP");
        assertThat(archive.get("destination").asText()).isEqualTo(folder);
        assertThat(archive.get("connected_audiences").asInt()).isZero();
        JsonNode crm = page.get("items").get(1);
        assertThat(crm.get("id").asLong()).isEqualTo(webhookId);
        assertThat(crm.get("kind").asText()).isEqualTo("WEBHOOK");
        assertThat(crm.get("destination").asText()).as("scheme, host and port only")
                .isEqualTo("http://127.0.0.1:" + receiver.port());
        assertThat(crm.get("connected_audiences").asInt()).as("an audience's variation counts once").isEqualTo(2);

        RestApiClient.Response one = user.api().get(outputsPath() + "/" + webhookId);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json()).isEqualTo(crm);
    }

    @Test
    void no_secret_header_value_or_url_token_appears_in_any_answer() {
        for (Role role : List.of(Role.ADMIN, Role.SUPPORT, Role.USER, Role.AUDIENCES_ONLY)) {
            ApiCallers.Caller caller = callers.caller(role, workspace);
            for (RestApiClient.Response response : List.of(caller.api().get(outputsPath()),
                    caller.api().get(outputsPath() + "/" + webhookId))) {
                assertThat(response.status()).as(role + " " + response.body()).isEqualTo(200);
                assertThat(response.body()).as(role.label()).contains("CRM").doesNotContain(SECRET)
                        .doesNotContain(HEADER_VALUE).doesNotContain("crm-header-value").doesNotContain(URL_TOKEN)
                        .doesNotContain("Authorization");
            }
        }
        assertThat(asUser(() -> outputs.output(webhookId)).secret()).as("the secret is there to leak")
                .isEqualTo(SECRET);
    }

    @Test
    void audiences_only_sees_names_to_connect_to_without_destinations_read_only_is_refused() {
        ApiCallers.Caller audiencesOnly = callers.caller(Role.AUDIENCES_ONLY, workspace);
        ApiCallers.Caller readOnly = callers.caller(Role.READ_ONLY, workspace);

        JsonNode page = audiencesOnly.api().get(outputsPath()).json();
        assertThat(page.get("items")).extracting(item -> item.get("name").asText()).containsExactly("Archive", "CRM");
        assertThat(page.get("items")).allSatisfy(item -> assertThat(item.get("destination").isNull()).isTrue());

        assertProblem(readOnly.api().get(outputsPath()), 403, "Read Only");
        assertProblem(readOnly.api().get(outputsPath() + "/" + webhookId), 403, "Read Only");
    }

    @Test
    void another_workspaces_output_and_list_are_a_404_as_for_missing_ones() {
        Workspace other = callers.workspace("Outputs elsewhere");
        ApiCallers.Caller stranger = callers.caller(Role.USER, other);
        ApiCallers.Caller admin = callers.caller(Role.ADMIN);
        String missing = "Output " + webhookId + " does not exist, or it is in a workspace you cannot use.";

        assertProblem(stranger.api().get(outputsPath() + "/" + webhookId), 404, "Workspace " + workspace.id()
                + " does not exist, or you cannot use it.");
        assertProblem(admin.api().get("/api/v1/workspaces/" + other.id() + "/outputs/" + webhookId), 404, missing);
        assertProblem(user.api().get(outputsPath() + "/99999999"), 404, "Output 99999999 does not exist");
        assertProblem(stranger.api().get(outputsPath()), 404, "Workspace " + workspace.id() + " does not exist, or you cannot use it.");
    }

    @Test
    void pages_start_exactly_at_the_offset_and_a_bad_limit_is_a_400() {
        JsonNode second = user.api().get(outputsPath() + "?offset=1&limit=1").json();

        assertThat(second.get("items")).extracting(item -> item.get("name").asText()).containsExactly("CRM");
        assertThat(second.get("total").asLong()).isEqualTo(2);
        assertThat(second.get("offset").asInt()).isEqualTo(1);
        assertProblem(user.api().get(outputsPath() + "?limit=500"), 400, "limit must be between 1 and 200");
    }

    /** A calculated audience (only those can be connected). */
    private long audience(String name) {
        return calculated.playVideo(workspace, user.member(), name).id();
    }

    private <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.member().getEmail(), Role.USER, work);
    }
}
