package org.openaudience.output.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.abtest.AbTestService;
import org.openaudience.api.ApiTokens;
import org.openaudience.audience.AudienceService;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditEntry;
import org.openaudience.audit.AuditFilter;
import org.openaudience.audit.AuditLog;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
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

/** The Connect tab over HTTP: connect, list, read, pause, resume, disconnect; who may; what other workspaces see. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConnectionsApiTest {

    @LocalServerPort
    int port;
    @Autowired
    CalculatedAudiences calculated;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    ApiTokens tokens;
    @Autowired
    AudienceService audiences;
    @Autowired
    AbTestService abTests;
    @Autowired
    OutputService outputs;
    @Autowired
    AuditLog audit;

    ApiCallers callers;
    Workspace workspace;
    ApiCallers.Caller user;
    WebhookReceiver receiver;
    long audienceId;
    long outputId;

    @BeforeEach
    void an_audience_and_an_output() {
        callers = new ApiCallers(team, workspaces, tokens, port);
        workspace = callers.workspace("Connect API");
        user = callers.caller(Role.USER, workspace);
        receiver = new WebhookReceiver(0);
        audienceId = calculated.playVideo(workspace, user.member(), "Paris viewers").id();
        outputId = asUser(() -> outputs.createOutput(workspace.id(), OutputSettings.webhook("CRM", receiver.url(),
                null))).id();
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    private String connectionsPath() {
        return "/api/v1/workspaces/" + workspace.id() + "/audiences/" + audienceId + "/connections";
    }

    private String connectionPath(long connectionId) {
        return "/api/v1/workspaces/" + workspace.id() + "/connections/" + connectionId;
    }

    private Map<String, Object> connectBody(Object... variation) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("output_id", outputId,
                "identity_types", List.of("email", "customer_id")));
        if (variation.length > 0) {
            body.put("variation", variation[0]);
        }
        return body;
    }

    @Test
    void connecting_answers_201_with_location_and_the_connection_is_listed_and_read() {
        RestApiClient.Response made = user.api().post(connectionsPath(), connectBody());

        assertThat(made.status()).as(made.body()).isEqualTo(201);
        JsonNode connection = made.json();
        long id = connection.get("id").asLong();
        assertThat(made.header("Location")).isEqualTo(user.api().url(connectionPath(id)));
        assertThat(connection.get("output_id").asLong()).isEqualTo(outputId);
        assertThat(connection.get("output_name").asText()).isEqualTo("CRM");
        assertThat(connection.get("output_kind").asText()).isEqualTo("WEBHOOK");
        assertThat(connection.get("variation").isNull()).as("the whole audience").isTrue();
        assertThat(connection.get("identity_types")).extracting(JsonNode::asText)
                .containsExactly("customer_id", "email");
        assertThat(connection.get("status").asText()).isEqualTo("SENDING");
        assertThat(connection.get("last_delivery_at").isNull()).isTrue();
        assertThat(connection.get("last_error").isNull()).isTrue();

        JsonNode list = user.api().get(connectionsPath()).json();
        assertThat(list.get("total").asLong()).isEqualTo(1);
        assertThat(list.get("items").get(0).get("id").asLong()).isEqualTo(id);
        RestApiClient.Response read = user.api().get(made.header("Location"));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("external_name").asText()).isEqualTo(connection.get("external_name").asText());
        assertThat(audited(AuditAction.AUDIENCE_CONNECTED)).singleElement().satisfies(entry ->
                assertThat(entry.detail()).isEqualTo("to CRM, identities [customer_id, email]"));
    }

    @Test
    void pause_resume_and_disconnect_change_the_status_and_are_audited() {
        long id = user.api().post(connectionsPath(), connectBody()).json().get("id").asLong();

        RestApiClient.Response paused = user.api().post(connectionPath(id) + "/pause", null);
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json().get("status").asText()).isEqualTo("PAUSED");
        RestApiClient.Response resumed = user.api().post(connectionPath(id) + "/resume", null);
        assertThat(resumed.json().get("status").asText()).isEqualTo("SENDING");
        RestApiClient.Response disconnected = user.api().delete(connectionPath(id));
        assertThat(disconnected.status()).as(disconnected.body()).isEqualTo(204);

        assertThat(user.api().get(connectionsPath()).json().get("total").asLong()).isZero();
        assertProblem(user.api().get(connectionPath(id)), 404, "Connection " + id + " does not exist");
        assertThat(audited(AuditAction.CONNECTION_PAUSED)).hasSize(1);
        assertThat(audited(AuditAction.CONNECTION_RESUMED)).hasSize(1);
        assertThat(audited(AuditAction.AUDIENCE_DISCONNECTED)).singleElement().satisfies(entry ->
                assertThat(entry.detail()).isEqualTo("from CRM"));
    }

    @Test
    void a_variation_of_a_saved_test_connects_under_its_own_name_an_unsaved_one_is_refused() {
        assertInvalid(user.api().post(connectionsPath(), connectBody(1)), "variation",
                "Save the A/B test before connecting a variation.");
        asUser(() -> abTests.putTest(audienceId, List.of(new AbTestService.VariationShare("Half price", 30))));

        RestApiClient.Response made = user.api().post(connectionsPath(), connectBody(1));

        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().get("variation").asInt()).isEqualTo(1);
        assertThat(made.json().get("variation_name").asText()).isEqualTo("Half price");
        assertThat(made.json().get("external_name").asText()).endsWith(" - Half price");
        assertInvalid(user.api().post(connectionsPath(), connectBody(7)), "variation", "This test has no such variation.");
    }

    @Test
    void wrong_requests_are_400_problems_naming_the_field_and_connect_nothing() {
        Workspace other = callers.workspace("Connect foreign output");
        long foreignOutput = callers.members().asAdmin(() -> outputs.createOutput(other.id(),
                OutputSettings.fileDrop("Foreign", "foreign" + TestMembers.unique()))).id();

        assertInvalid(user.api().post(connectionsPath(), Map.of("identity_types", List.of())), "output_id",
                "output_id is required");
        assertInvalid(user.api().post(connectionsPath(), Map.of("output_id", outputId)), "identity_types",
                "[] sends MPIDs only");
        assertInvalid(user.api().post(connectionsPath(), Map.of("output_id", foreignOutput, "identity_types",
                List.of())), "output_id", "Choose an output of this workspace.");
        assertInvalid(user.api().post(connectionsPath(), Map.of("output_id", outputId, "identity_types",
                List.of("E-Mail"))), "identity_types", "Choose identity types from the list.");
        assertThat(user.api().get(connectionsPath()).json().get("total").asLong()).isZero();

        assertThat(user.api().post(connectionsPath(), connectBody()).status()).isEqualTo(201);
        assertInvalid(user.api().post(connectionsPath(), connectBody()), "output_id", "is already connected to \"CRM\"");
        assertProblem(user.api().post("/api/v1/workspaces/" + workspace.id() + "/audiences/99999999/connections",
                connectBody()), 404, "Audience 99999999 does not exist");
    }

    @Test
    void audiences_only_connects_to_existing_outputs_read_only_reads_and_changes_nothing() {
        ApiCallers.Caller audiencesOnly = callers.caller(Role.AUDIENCES_ONLY, workspace);
        ApiCallers.Caller readOnly = callers.caller(Role.READ_ONLY, workspace);

        RestApiClient.Response made = audiencesOnly.api().post(connectionsPath(), connectBody());
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long id = made.json().get("id").asLong();
        assertThat(audiencesOnly.api().post(connectionPath(id) + "/pause", null).status()).isEqualTo(200);

        assertThat(readOnly.api().get(connectionsPath()).json().get("total").asLong()).isEqualTo(1);
        assertThat(readOnly.api().get(connectionPath(id)).status()).isEqualTo(200);
        assertProblem(readOnly.api().post(connectionsPath(), connectBody(0)), 403, "Read Only");
        assertProblem(readOnly.api().post(connectionPath(id) + "/resume", null), 403, "Read Only");
        assertProblem(readOnly.api().post(connectionPath(id) + "/pause", null), 403, "Read Only");
        assertProblem(readOnly.api().delete(connectionPath(id)), 403, "Read Only");
        assertThat(user.api().get(connectionPath(id)).json().get("status").asText()).as("unchanged")
                .isEqualTo("PAUSED");
    }

    @Test
    void another_workspaces_member_or_path_gets_404_exactly_as_for_a_missing_connection() {
        long id = user.api().post(connectionsPath(), connectBody()).json().get("id").asLong();
        Workspace other = callers.workspace("Connect elsewhere");
        ApiCallers.Caller stranger = callers.caller(Role.USER, other);
        ApiCallers.Caller admin = callers.caller(Role.ADMIN);
        String wrongPath = "/api/v1/workspaces/" + other.id() + "/connections/" + id;
        String missing = "Connection " + id + " does not exist, or it is in a workspace you cannot use.";

        String workspaceMissing = "Workspace " + workspace.id() + " does not exist, or you cannot use it.";
        assertProblem(stranger.api().get(connectionPath(id)), 404, workspaceMissing);
        assertProblem(stranger.api().post(connectionPath(id) + "/pause", null), 404, workspaceMissing);
        assertProblem(stranger.api().delete(connectionPath(id)), 404, workspaceMissing);
        assertProblem(stranger.api().get(connectionsPath()), 404, workspaceMissing);
        assertProblem(admin.api().get(wrongPath), 404, missing);
        assertProblem(admin.api().post(wrongPath + "/pause", null), 404, missing);
        assertProblem(admin.api().delete(wrongPath), 404, missing);
        long absent = id + 1_000_000;
        assertProblem(user.api().delete(connectionPath(absent)), 404, "Connection " + absent
                + " does not exist, or it is in a workspace you cannot use.");

        assertThat(user.api().get(connectionPath(id)).json().get("status").asText()).as("unchanged")
                .isEqualTo("SENDING");
    }

    private void assertInvalid(RestApiClient.Response response, String field, String message) {
        assertProblem(response, 400, message);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
    }

    private List<AuditEntry> audited(AuditAction action) {
        return callers.members().asAdmin(() -> audit.page(new AuditFilter(Set.of(action), user.member().getEmail(),
                null, null), 0, 50).toList());
    }

    private <T> T asUser(Supplier<T> work) {
        return RunAs.member(user.member().getEmail(), Role.USER, work);
    }

}
