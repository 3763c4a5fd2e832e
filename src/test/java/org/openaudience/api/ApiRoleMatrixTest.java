package org.openaudience.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.security.Capability;
import org.openaudience.security.Role;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.EventsApiClient;
import org.openaudience.testsupport.IngestFixture;
import org.openaudience.testsupport.IngestFixtures;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The role matrix of the web app, over the REST API with each role's token: what the role may do succeeds, what it
 * may not is a 403 problem (the services decide, exactly as for the pages), and the same member limited to another
 * workspace finds nothing there: 404, as for a workspace that does not exist.
 */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRoleMatrixTest {

    @LocalServerPort
    int port;
    @Autowired
    IngestFixtures ingest;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    ApiTokens tokens;
    @Autowired
    AudienceService audiences;

    ApiCallers callers;
    Workspace workspace;
    Workspace elsewhere;
    Audience shared;

    /** An operation, the capability it needs (null: any member of the workspace) and its success status. */
    record Operation(String name, String method, String path, Object body, Capability needs, int success) {
    }

    @BeforeAll
    void aWorkspaceWithOneUserAndOneAudience() {
        IngestFixture app = ingest.create();
        workspace = app.workspace;
        EventsApiClient.Response sent = new EventsApiClient(port, app.credentials).post("/v2/events", """
                {"user_identities":{"customer_id":"matrix-1"},"events":[{"event_type":"custom_event",
                 "data":{"event_name":"Play Video","custom_event_type":"other"}}]}""");
        assertThat(sent.status()).isEqualTo(202);
        callers = new ApiCallers(team, workspaces, tokens, port);
        elsewhere = callers.workspace("Matrix elsewhere");
        shared = callers.members().asAdmin(() -> audiences.createAudience(workspace.id(), "Matrix players", null,
                Definition.of(EventCriterion.event("Play Video"))));
    }

    private List<Operation> operations(Role role) throws Exception {
        String audiences = "/api/v1/workspaces/" + workspace.id() + "/audiences";
        String audience = audiences + "/" + shared.id();
        String draft = audiences + "/" + callers.members().asAdmin(() -> this.audiences.createAudience(
                workspace.id(), "Matrix draft " + role + " " + TestMembers.unique(), null, Definition.of(EventCriterion.event("Play Video"))))
                .id();
        String newAudience = Files.readString(RestApiStoryTest.EXAMPLE)
                .replace("Paris premium viewers", "Paris premium viewers by " + role + " " + TestMembers.unique());
        List<Operation> operations = new ArrayList<>(List.of(
                new Operation("list audiences", "GET", audiences, null, null, 200),
                new Operation("get an audience", "GET", audience, null, null, 200),
                new Operation("progress", "GET", audience + "/progress", null, null, 200),
                new Operation("runs", "GET", audience + "/runs", null, null, 200),
                new Operation("versions", "GET", audience + "/versions", null, null, 200),
                new Operation("definition", "GET", audience + "/definition", null, null, 200),
                new Operation("estimate", "POST", audiences + "/estimate",
                        "{\"definition\":" + definitionOf(newAudience) + "}", null, 200),
                new Operation("create", "POST", audiences, newAudience, Capability.EDIT_AUDIENCES, 201),
                new Operation("change details", "PATCH", draft, Map.of("description", "by " + role),
                        Capability.EDIT_AUDIENCES, 200),
                new Operation("activate", "POST", draft + "/activate", null, Capability.EDIT_AUDIENCES, 200),
                new Operation("members", "GET", audience + "/members?format=ndjson", null,
                        Capability.DOWNLOAD_AUDIENCES, 200),
                new Operation("explain", "GET", audience + "/explain?customer_id=matrix-1", null,
                        Capability.LOOK_UP_USERS, 200),
                new Operation("connections", "GET", audience + "/connections", null, null, 200),
                new Operation("outputs", "GET", "/api/v1/workspaces/" + workspace.id() + "/outputs", null,
                        Capability.CONNECT_AUDIENCES, 200),
                new Operation("inputs", "GET", "/api/v1/workspaces/" + workspace.id() + "/inputs", null, null,
                        200)));
        return operations;
    }

    private static String definitionOf(String newAudienceJson) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(newAudienceJson).get("definition")
                .toString();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void each_roles_token_may_do_what_the_role_may_and_gets_a_403_problem_for_the_rest(Role role) throws Exception {
        ApiCallers.Caller caller = callers.caller(role, workspace);
        for (Operation operation : operations(role)) {
            RestApiClient.Response response = caller.api().send(operation.method(), operation.path(),
                    operation.body(), Map.of());
            boolean allowed = operation.needs() == null || operation.needs().grantedTo(role);
            assertThat(response.status()).as(role + " · " + operation.name() + ": " + response.body())
                    .isEqualTo(allowed ? operation.success() : 403);
            if (!allowed) {
                assertThat(response.contentType()).as(operation.name()).startsWith("application/problem+json");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = "ADMIN", mode = EnumSource.Mode.EXCLUDE)
    void the_same_role_limited_to_another_workspace_finds_none_of_its_audiences(Role role) throws Exception {
        ApiCallers.Caller outsider = callers.caller(role, elsewhere);
        for (Operation operation : operations(role)) {
            RestApiClient.Response response = outsider.api().send(operation.method(), operation.path(),
                    operation.body(), Map.of());
            assertThat(response.status()).as(role + " · " + operation.name() + ": " + response.body())
                    .isEqualTo(404);
            assertThat(response.json().get("detail").asText()).as(operation.name())
                    .isEqualTo("Workspace " + workspace.id() + " does not exist, or you cannot use it.");
            assertThat(response.body()).as(operation.name()).doesNotContain("Matrix players");
        }
    }
}
