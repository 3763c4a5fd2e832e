package org.openaudience.audience.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.audience.api.AudienceApiFixture.definitionBody;
import static org.openaudience.audience.api.AudienceApiFixture.newAudience;
import static org.openaudience.audience.api.AudienceApiFixture.watched;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.api.ApiTokens;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Who may change an audience over HTTP: roles as in the UI, other workspaces' audiences do not exist. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AudienceWriteAccessApiTest {

    @LocalServerPort
    int port;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    ApiTokens tokens;
    @Autowired
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    MutableClock clock;

    AudienceApiFixture fixture;
    RestApiClient api;

    @BeforeEach
    void setUp() {
        fixture = new AudienceApiFixture(team, workspaces, tokens, inputs, ingestion, parser, clock, port);
        api = fixture.callers.caller(Role.USER, fixture.workspace).api();
    }

    @Test
    void read_only_members_are_refused_every_write_with_403() {
        long id = fixture.create(api, "Guarded", watched("Paris"));
        RestApiClient readOnly = fixture.callers.caller(Role.READ_ONLY, fixture.workspace).api();
        String audience = fixture.audience(id);
        Map<String, String> ifMatch = Map.of("If-Match", "\"1\"");

        List<RestApiClient.Response> refused = List.of(
                readOnly.post(fixture.audiences(), newAudience("Mine", watched("Rome"))),
                readOnly.patch(audience, Map.of("name", "Renamed")),
                readOnly.put(audience + "/definition", definitionBody(watched("Rome")), ifMatch),
                readOnly.put(audience + "/inputs", Map.of("input_ids", List.of()), ifMatch),
                readOnly.put(audience + "/definition", "{\"definition\":\"malformed\"}", Map.of()),
                readOnly.post(audience + "/activate", null),
                readOnly.post(audience + "/deactivate", null),
                readOnly.post(audience + "/retry", null),
                readOnly.post(audience + "/clone", null),
                readOnly.delete(audience));

        assertThat(refused).allSatisfy(response -> assertProblem(response, 403, "Read Only"));
        assertThat(readOnly.get(audience).json().get("name").asText()).isEqualTo("Guarded");
        assertThat(readOnly.get(audience + "/definition").status()).isEqualTo(200);
    }

    @Test
    void a_member_limited_to_another_workspace_gets_404_for_the_audience() {
        long id = fixture.create(api, "Elsewhere", watched("Paris"));
        Workspace own = fixture.callers.workspace("Own");
        ApiCallers.Caller outsider = fixture.callers.caller(Role.USER, own);
        String audience = fixture.audience(id);
        String underOwnPath = "/api/v1/workspaces/" + own.id() + "/audiences/" + id;

        List<RestApiClient.Response> answers = List.of(
                outsider.api().patch(audience, Map.of("name", "Mine")),
                outsider.api().patch(underOwnPath, Map.of("name", "Mine")),
                outsider.api().put(audience + "/definition", definitionBody(watched("Rome")), Map.of("If-Match", "*")),
                outsider.api().get(audience + "/definition"),
                outsider.api().post(audience + "/activate", null),
                outsider.api().post(underOwnPath + "/clone", null),
                outsider.api().delete(audience));

        // under its own path the workspace is not found; under the outsider's own workspace, the audience
        assertThat(answers).allSatisfy(response -> assertProblem(response, 404, " does not exist"));
        assertProblem(answers.get(1), 404, "Audience " + id + " does not exist");
        assertProblem(outsider.api().post(fixture.audiences(), newAudience("Mine", watched("Rome"))), 404,
                "Workspace " + fixture.workspace.id() + " does not exist, or you cannot use it.");
        assertThat(api.get(audience).json().get("name").asText()).isEqualTo("Elsewhere");
    }

    @Test
    void an_audience_asked_for_under_another_workspaces_path_is_404_even_for_a_member_of_both() {
        long id = fixture.create(api, "Here", watched("Paris"));
        Workspace other = fixture.callers.workspace("Both");
        RestApiClient admin = fixture.callers.caller(Role.ADMIN).api();

        assertProblem(admin.delete("/api/v1/workspaces/" + other.id() + "/audiences/" + id), 404, "does not exist");
        assertThat(admin.get(fixture.audience(id)).status()).isEqualTo(200);
    }

    @Test
    void an_audiences_only_member_may_make_every_change() {
        RestApiClient audiencesOnly = fixture.callers.caller(Role.AUDIENCES_ONLY, fixture.workspace).api();

        long id = fixture.create(audiencesOnly, "Theirs", watched("Paris"));

        assertThat(audiencesOnly.patch(fixture.audience(id), Map.of("description", "ok")).status()).isEqualTo(200);
        assertThat(audiencesOnly.post(fixture.audience(id) + "/activate", null).status()).isEqualTo(200);
    }
}
