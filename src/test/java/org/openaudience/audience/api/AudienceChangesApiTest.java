package org.openaudience.audience.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.audience.api.AudienceApiFixture.memberOf;
import static org.openaudience.audience.api.AudienceApiFixture.newAudience;
import static org.openaudience.audience.api.AudienceApiFixture.premium;
import static org.openaudience.audience.api.AudienceApiFixture.texts;
import static org.openaudience.audience.api.AudienceApiFixture.watched;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.api.ApiTokens;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditEntry;
import org.openaudience.audit.AuditFilter;
import org.openaudience.audit.AuditLog;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Creating and changing audiences over HTTP: the Audiences page's operations, checks and refusals. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AudienceChangesApiTest {

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
    @Autowired
    AuditLog audit;
    @Autowired
    JdbcClient jdbc;

    AudienceApiFixture fixture;
    RestApiClient api;

    @BeforeEach
    void setUp() {
        fixture = new AudienceApiFixture(team, workspaces, tokens, inputs, ingestion, parser, clock, port);
        api = fixture.callers.caller(Role.USER, fixture.workspace).api();
    }

    @Test
    void creating_an_audience_answers_201_with_its_location_etag_and_body_and_is_audited() {
        RestApiClient.Response created = api.post(fixture.audiences(), Map.of("name", "  Paris viewers ",
                "external_name", "paris_viewers", "description", "Watched Paris", "tags", List.of("paris", "video"),
                "definition", DefinitionJson.tree(watched("Paris"))));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode body = created.json();
        long id = body.get("id").asLong();
        assertThat(created.header("Location")).isEqualTo(api.url(fixture.audience(id)));
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(body.get("name").asText()).isEqualTo("Paris viewers");
        assertThat(body.get("external_name").asText()).isEqualTo("paris_viewers");
        assertThat(body.get("description").asText()).isEqualTo("Watched Paris");
        assertThat(body.get("tags").toString()).isEqualTo("[\"paris\",\"video\"]");
        assertThat(body.get("status").asText()).isEqualTo("DRAFT");
        assertThat(api.get(created.header("Location")).status()).isEqualTo(200);
        JsonNode definition = api.get(fixture.audience(id) + "/definition").json().get("definition");
        assertThat(DefinitionJson.read(definition)).isEqualTo(watched("Paris"));
        List<AuditEntry> entries = fixture.callers.members().asAdmin(() -> audit.page(new AuditFilter(
                Set.of(AuditAction.AUDIENCE_CREATED), "Paris viewers", null, null), 0, 50).toList());
        assertThat(entries).anySatisfy(entry -> {
            assertThat(entry.workspaceId()).isEqualTo(fixture.workspace.id());
            assertThat(entry.detail()).isEqualTo("draft, definition version 1");
        });
    }

    @Test
    void a_create_is_checked_as_the_ui_checks_it_and_nothing_is_saved() {
        fixture.create(api, "Taken", watched("Paris"));

        assertProblem(api.post(fixture.audiences(), newAudience("Taken", watched("Rome"))), 400,
                "An audience named \"Taken\" already exists.");
        RestApiClient.Response longTag = api.post(fixture.audiences(), Map.of("name", "Tagged", "tags",
                List.of("a-tag-far-too-long-for-the-list"), "definition", DefinitionJson.tree(watched("Rome"))));
        assertProblem(longTag, 400, "is longer than 18 characters");
        assertThat(texts(longTag.json().get("errors"), "field")).containsExactly("tags");
        RestApiClient.Response noName = api.post(fixture.audiences(), Map.of("external_name", "x",
                "definition", DefinitionJson.tree(watched("Rome"))));
        assertProblem(noName, 400, "Enter a name.");
        assertProblem(api.post(fixture.audiences(), Map.of("name", "No definition")), 400, "Send the definition");
        assertThat(api.get(fixture.audiences() + "?name=Tagged").json().get("total").asInt()).isZero();
    }

    @Test
    void malformed_definitions_answer_400_naming_the_problem_never_500() {
        Map<String, String> malformed = Map.of(
                "{\"schemaVersion\":1,\"root\":{\"items\":[{\"event\":{\"kind\":\"EVENT\",\"name\":\"Play Video\","
                        + "\"conditions\":[{\"attribute\":\"destination\",\"type\":\"STRING\",\"operator\":\"LIKE\","
                        + "\"values\":[\"Paris\"]}]}}]}}", "event.conditions[0].operator must be one of",
                "{\"schemaVersion\":1,\"root\":{\"items\":[{\"event\":{\"name\":\"Play Video\"}}]}}",
                "event.kind is required",
                "{\"schemaVersion\":1,\"root\":{\"items\":[{\"evnt\":{}}]}}", "evnt is not a field here",
                "{\"schemaVersion\":1,\"root\":{\"items\":[{\"event\":{\"kind\":\"SESSION\",\"window\":{\"type\":"
                        + "\"on\",\"date\":\"yesterday\"}}}]}}", "must be a date like",
                "{\"schemaVersion\":1,\"root\":[]}", "root must be a JSON object",
                "\"a text\"", "The definition must be a JSON object",
                "{\"root\":{\"items\":[]}}", "schemaVersion is required",
                "{\"schemaVersion\":1,\"root\":{\"items\":[" + nested(40) + "]}}",
                "nests too deep");
        malformed.forEach((definition, problem) -> {
            RestApiClient.Response response = api.post(fixture.audiences(), "{\"name\":\"Malformed\","
                    + "\"definition\":" + definition + "}");
            assertProblem(response, 400, problem);
            assertThat(texts(response.json().get("errors"), "field")).containsExactly("definition");
        });
        RestApiClient.Response located = api.post(fixture.audiences(), "{\"name\":\"Malformed\",\"definition\":"
                + "{\"schemaVersion\":1,\"root\":{\"items\":[{\"group\":{\"items\":[{\"event\":{\"kind\":\"X\"}}]}}]}}}");
        assertThat(located.json().get("errors").get(0).get("criterion").asText()).isEqualTo("1.1");
        assertThat(located.json().get("errors").get(0).get("part").asText()).isEqualTo("event.kind");
        assertProblem(api.post(fixture.audiences(), "{\"name\":\"Deep\",\"definition\":" + "[".repeat(3000)
                + "]".repeat(3000) + "}"), 400, "not valid JSON");
        assertThat(api.get(fixture.audiences()).json().get("total").asInt()).isZero();
    }

    @Test
    void a_definition_beyond_the_limits_reports_each_place_in_errors() {
        Group group = Group.of(EventCriterion.event("Play Video"));
        for (int i = 1; i < 51; i++) {
            group = group.then(Connector.OR, EventCriterion.event("Play Video"));
        }
        group = group.then(Connector.OR, EventCriterion.event("x".repeat(300)));

        RestApiClient.Response response = api.post(fixture.audiences(), newAudience("Huge", new Definition(group, null)));

        assertProblem(response, 400, "2 problems");
        JsonNode errors = response.json().get("errors");
        assertThat(texts(errors, "part")).containsExactly("criteria", "name");
        assertThat(texts(errors, "criterion")).containsExactly(null, "52");
        assertThat(texts(errors, "message")).containsExactly("At most 50 criteria per audience; this one has 52.",
                "An event name has at most 255 characters; this one has 300.");
    }

    @Test
    void a_patch_changes_only_the_details_sent_with_the_ui_limits() {
        long id = fixture.create(api, "Paris", watched("Paris"));
        api.patch(fixture.audience(id), Map.of("description", "first", "tags", List.of("a", "b")));

        RestApiClient.Response renamed = api.patch(fixture.audience(id), Map.of("name", "Paris fans"));

        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("Paris fans");
        assertThat(renamed.json().get("external_name").asText()).as("left out: kept").isEqualTo("Paris");
        assertThat(renamed.json().get("description").asText()).isEqualTo("first");
        assertThat(renamed.json().get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        List<String> tooMany = java.util.stream.IntStream.range(0, 21).mapToObj(i -> "t" + i).toList();
        RestApiClient.Response refused = api.patch(fixture.audience(id), Map.of("tags", tooMany));
        assertProblem(refused, 400, "Use at most 20 tags.");
        assertProblem(api.patch(fixture.audience(id), Map.of("description", "d".repeat(1001))), 400,
                "Use at most 1000 characters.");
        assertThat(texts(api.patch(fixture.audience(id), Map.of("external_name", "e".repeat(101)))
                .json().get("errors"), "field")).containsExactly("external_name");
        assertProblem(api.patch(fixture.audience(id), Map.of()), 400, "Send at least one of");
        assertThat(api.get(fixture.audience(id)).json().get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void activating_calculates_and_deactivating_keeps_the_members() throws Exception {
        long id = fixture.create(api, "Paris premium", premium(watched("Paris")));

        RestApiClient.Response activated = api.post(fixture.audience(id) + "/activate", null);

        assertThat(activated.status()).as(activated.body()).isEqualTo(200);
        assertThat(activated.json().get("status").asText()).isEqualTo("ACTIVE");
        assertThat(fixture.awaitCalculated(api, id).get("size").asLong()).isEqualTo(10);
        RestApiClient.Response deactivated = api.post(fixture.audience(id) + "/deactivate", null);
        assertThat(deactivated.json().get("status").asText()).isEqualTo("INACTIVE");
        assertThat(deactivated.json().get("size").asLong()).isEqualTo(10);
    }

    @Test
    void activation_problems_come_back_one_per_criterion_and_part() {
        long id = fixture.create(api, "Unknown", new Definition(Group.of(EventCriterion.event("Play Vidoe"))
                .then(Connector.AND, UserCriterion.attribute("age", DataType.NUMBER, Operator.GREATER_THAN, "12,5")),
                null));

        RestApiClient.Response refused = api.post(fixture.audience(id) + "/activate", null);

        assertProblem(refused, 400, "2 problems");
        JsonNode errors = refused.json().get("errors");
        assertThat(texts(errors, "criterion")).containsExactly("1", "2");
        assertThat(texts(errors, "part")).containsExactly("name", "condition.values");
        assertThat(texts(errors, "message")).containsExactly("\"Play Vidoe\" has not been received in this "
                + "workspace; choose a name from the list.", "\"12,5\" is not a number (use a dot for decimals).");
        assertThat(api.get(fixture.audience(id)).json().get("status").asText()).isEqualTo("DRAFT");
    }

    @Test
    void a_failed_calculation_can_be_retried_and_a_healthy_one_cannot() throws Exception {
        long id = fixture.create(api, "Failing", watched("Rome"));
        jdbc.sql("""
                CREATE TRIGGER api_fail_member_insert BEFORE INSERT ON audience_member FOR EACH ROW
                IF NEW.audience_id = %d THEN
                    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'simulated failure';
                END IF""".formatted(id)).update();
        try {
            api.post(fixture.audience(id) + "/activate", null);
            assertThat(fixture.awaitCalculated(api, id).get("calculation").get("last_error").asText())
                    .contains("simulated failure");
        } finally {
            jdbc.sql("DROP TRIGGER IF EXISTS api_fail_member_insert").update();
        }

        RestApiClient.Response retried = api.post(fixture.audience(id) + "/retry", null);

        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        JsonNode done = fixture.awaitCalculated(api, id);
        assertThat(done.get("calculation").get("last_error").isNull()).isTrue();
        assertThat(done.get("size").asLong()).isEqualTo(20);
        assertProblem(api.post(fixture.audience(id) + "/retry", null), 400,
                "Only an active audience whose calculation failed can be calculated again.");
    }

    @Test
    void cloning_answers_201_with_the_copys_location() {
        long id = fixture.create(api, "Original", watched("Paris"));
        api.patch(fixture.audience(id), Map.of("tags", List.of("kept")));

        RestApiClient.Response copy = api.post(fixture.audience(id) + "/clone", null);

        assertThat(copy.status()).as(copy.body()).isEqualTo(201);
        long copyId = copy.json().get("id").asLong();
        assertThat(copyId).isNotEqualTo(id);
        assertThat(copy.header("Location")).isEqualTo(api.url(fixture.audience(copyId)));
        assertThat(copy.header("ETag")).isEqualTo("\"1\"");
        JsonNode fetched = api.get(copy.header("Location")).json();
        assertThat(fetched.get("name").asText()).isEqualTo("Original (copy)");
        assertThat(fetched.get("status").asText()).isEqualTo("DRAFT");
        assertThat(fetched.get("tags").toString()).isEqualTo("[\"kept\"]");
        assertThat(DefinitionJson.read(api.get(copy.header("Location") + "/definition").json().get("definition")))
                .isEqualTo(watched("Paris"));
    }

    @Test
    void deleting_answers_204_and_an_audience_in_use_is_a_409_naming_its_users() {
        long paris = fixture.create(api, "Paris", watched("Paris"));
        long user = fixture.create(api, "Uses Paris", memberOf(paris));

        RestApiClient.Response refused = api.delete(fixture.audience(paris));

        assertProblem(refused, 409, "\"Paris\" is used in the Audience membership criteria of \"Uses Paris\"; "
                + "remove those criteria first.");
        assertThat(refused.json().get("used_by").toString()).isEqualTo("[\"Uses Paris\"]");
        assertThat(api.get(fixture.audience(paris)).status()).isEqualTo(200);
        assertThat(api.delete(fixture.audience(user)).status()).isEqualTo(204);
        RestApiClient.Response deleted = api.delete(fixture.audience(paris));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertProblem(api.get(fixture.audience(paris)), 404, "does not exist");
        assertProblem(api.delete(fixture.audience(paris)), 404, "does not exist");
    }

    /** {@code levels} groups, one inside the other, around a criterion. */
    static String nested(int levels) {
        String item = "{\"event\":{\"kind\":\"SESSION\"}}";
        for (int i = 0; i < levels; i++) {
            item = "{\"group\":{\"items\":[" + item + "]}}";
        }
        return item;
    }
}
