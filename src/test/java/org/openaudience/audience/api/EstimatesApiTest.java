package org.openaudience.audience.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.audience.api.AudienceApiFixture.definitionBody;
import static org.openaudience.audience.api.AudienceApiFixture.premium;
import static org.openaudience.audience.api.AudienceApiFixture.texts;
import static org.openaudience.audience.api.AudienceApiFixture.watched;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.api.ApiTokens;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Estimates of unsaved definitions over HTTP: sizes as the editor shows them, problems as activation reports them. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EstimatesApiTest {

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

    @BeforeEach
    void setUp() {
        fixture = new AudienceApiFixture(team, workspaces, tokens, inputs, ingestion, parser, clock, port);
    }

    String estimate() {
        return fixture.audiences() + "/estimate";
    }

    @Test
    void a_small_workspace_is_counted_whole_so_the_estimate_is_exact_per_criterion_too() {
        RestApiClient api = fixture.callers.caller(Role.USER, fixture.workspace).api();

        RestApiClient.Response response = api.post(estimate(), definitionBody(premium(watched("Paris"))));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("size").asLong()).isEqualTo(10);
        assertThat(body.get("exact").asBoolean()).isTrue();
        assertThat(body.get("sample_percent").asInt()).isEqualTo(100);
        assertThat(body.get("sampled_profiles").asLong()).isEqualTo(40);
        assertThat(body.get("too_small").asBoolean()).isFalse();
        assertThat(texts(body.get("criteria"), "criterion")).containsExactly("1", "2");
        assertThat(texts(body.get("criteria"), "size")).containsExactly("20", "20");
        assertThat(fixture.callers.caller(Role.USER, fixture.workspace).api().get(fixture.audiences()).json()
                .get("total").asInt()).as("nothing saved").isZero();
    }

    @Test
    void read_only_members_may_estimate_as_they_see_estimates_in_the_editor() {
        RestApiClient readOnly = fixture.callers.caller(Role.READ_ONLY, fixture.workspace).api();

        RestApiClient.Response response = readOnly.post(estimate(), definitionBody(watched("Rome")));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("size").asLong()).isEqualTo(20);
    }

    @Test
    void a_definition_that_could_not_be_activated_is_refused_with_its_problems() {
        RestApiClient api = fixture.callers.caller(Role.USER, fixture.workspace).api();

        RestApiClient.Response unknown = api.post(estimate(), definitionBody(new Definition(Group.of(
                EventCriterion.event("Play Video")).then(org.openaudience.criteria.Connector.AND,
                EventCriterion.event("Never Sent")), null)));
        assertProblem(unknown, 400, "\"Never Sent\" has not been received in this workspace");
        assertThat(unknown.json().get("errors").get(0).get("criterion").asText()).isEqualTo("2");
        assertProblem(api.post(estimate(), definitionBody(new Definition(new Group(java.util.List.of()), null))), 400,
                "Add at least one criterion.");
        assertProblem(api.post(estimate(), "{\"definition\":{\"schemaVersion\":1,\"root\":{\"items\":[{\"event\":"
                + "{\"kind\":\"EVENT\",\"name\":\"Play Video\",\"frequency\":{\"comparison\":\"SOMETIMES\","
                + "\"count\":1}}}]}}}"), 400, "event.frequency.comparison must be one of GREATER_THAN");
        assertProblem(api.post(estimate(), definitionBody(AudienceApiFixture.memberOf(999_999))), 400,
                "not in this workspace");
    }

    @Test
    void another_workspaces_estimate_is_refused() {
        Workspace own = fixture.callers.workspace("Own estimates");
        RestApiClient outsider = fixture.callers.caller(Role.USER, own).api();

        assertProblem(outsider.post(estimate(), definitionBody(watched("Rome"))), 404,
                "Workspace " + fixture.workspace.id() + " does not exist, or you cannot use it.");
    }
}
