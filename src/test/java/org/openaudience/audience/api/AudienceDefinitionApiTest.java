package org.openaudience.audience.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.audience.api.AudienceApiFixture.definitionBody;
import static org.openaudience.audience.api.AudienceApiFixture.premium;
import static org.openaudience.audience.api.AudienceApiFixture.texts;
import static org.openaudience.audience.api.AudienceApiFixture.watched;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.api.ApiTokens;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.ingest.BatchParser;
import org.openaudience.ingest.IngestionService;
import org.openaudience.input.Input;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.testsupport.TestEvents;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The definition as a versioned resource over HTTP: ETag, If-Match, conflicts, concurrent saves, inputs. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AudienceDefinitionApiTest {

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
    JdbcClient jdbc;

    AudienceApiFixture fixture;
    RestApiClient api;
    String email;

    @BeforeEach
    void setUp() {
        fixture = new AudienceApiFixture(team, workspaces, tokens, inputs, ingestion, parser, clock, port);
        var caller = fixture.callers.caller(Role.USER, fixture.workspace);
        api = caller.api();
        email = caller.member().getEmail();
    }

    String definition(long id) {
        return fixture.audience(id) + "/definition";
    }

    static Map<String, String> ifMatch(String etag) {
        return Map.of("If-Match", etag);
    }

    @Test
    void the_definition_answers_its_version_as_etag_with_who_saved_it() {
        long id = fixture.create(api, "Paris", watched("Paris"));

        RestApiClient.Response response = api.get(definition(id));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("ETag")).isEqualTo("\"1\"");
        JsonNode body = response.json();
        assertThat(body.get("definition_version").asInt()).isEqualTo(1);
        assertThat(body.get("saved_by").asText()).isEqualTo(email);
        assertThat(body.get("saved_at").asText()).isNotBlank();
        assertThat(body.get("definition").get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(DefinitionJson.read(body.get("definition"))).isEqualTo(watched("Paris"));
    }

    @Test
    void a_save_with_the_current_etag_makes_a_new_version_and_answers_its_etag() {
        long id = fixture.create(api, "Paris", watched("Paris"));

        RestApiClient.Response saved = api.put(definition(id), definitionBody(watched("Rome")), ifMatch("\"1\""));

        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.header("ETag")).isEqualTo("\"2\"");
        assertThat(saved.json().get("definition_version").asInt()).isEqualTo(2);
        RestApiClient.Response current = api.get(definition(id));
        assertThat(current.header("ETag")).isEqualTo("\"2\"");
        assertThat(DefinitionJson.read(current.json().get("definition"))).isEqualTo(watched("Rome"));
        RestApiClient.Response unchanged = api.put(definition(id), definitionBody(watched("Rome")), ifMatch("2"));
        assertThat(unchanged.header("ETag")).as("an unchanged definition saves nothing").isEqualTo("\"2\"");
    }

    @Test
    void a_save_without_if_match_is_428_saying_to_send_the_etag() {
        long id = fixture.create(api, "Paris", watched("Paris"));

        RestApiClient.Response refused = api.put(definition(id), definitionBody(watched("Rome")), Map.of());

        assertProblem(refused, 428, "Send If-Match with the ETag of the definition you changed");
        assertProblem(api.put(fixture.audience(id) + "/inputs", Map.of("input_ids", List.of()), Map.of()), 428,
                "If-Match: *");
        assertProblem(api.put(definition(id), definitionBody(watched("Rome")), ifMatch("W/\"1\"")), 400,
                "If-Match must be one definition ETag");
        assertThat(api.get(definition(id)).header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void a_save_from_a_stale_version_is_409_with_the_current_version_and_changes_nothing() {
        long id = fixture.create(api, "Paris", watched("Paris"));
        api.put(definition(id), definitionBody(watched("Rome")), ifMatch("\"1\""));

        RestApiClient.Response stale = api.put(definition(id), definitionBody(premium(watched("Paris"))),
                ifMatch("\"1\""));

        assertProblem(stale, 409, "changed since version 1; the current version is 2");
        assertThat(stale.json().get("current_definition_version").asInt()).isEqualTo(2);
        assertThat(DefinitionJson.read(api.get(definition(id)).json().get("definition"))).isEqualTo(watched("Rome"));
    }

    @Test
    void if_match_star_replaces_whatever_is_current() {
        long id = fixture.create(api, "Paris", watched("Paris"));
        api.put(definition(id), definitionBody(watched("Rome")), ifMatch("\"1\""));

        RestApiClient.Response saved = api.put(definition(id), definitionBody(watched("Paris")), ifMatch("*"));

        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.header("ETag")).isEqualTo("\"3\"");
    }

    @Test
    void of_eight_concurrent_saves_from_the_same_version_exactly_one_wins() throws Exception {
        long id = fixture.create(api, "Contested", watched("Paris"));

        List<RestApiClient.Response> answers = concurrently(8, i -> api.put(definition(id),
                definitionBody(watched("City " + i)), ifMatch("\"1\"")));

        assertThat(answers).filteredOn(answer -> answer.status() == 200).hasSize(1);
        assertThat(answers).filteredOn(answer -> answer.status() == 409).hasSize(7)
                .allSatisfy(answer -> assertThat(answer.json().get("current_definition_version").asInt()).isEqualTo(2));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audience_definition_version WHERE audience_id = ?").param(id)
                .query(Integer.class).single()).isEqualTo(2);
    }

    @Test
    void eight_concurrent_saves_with_star_all_save_one_after_the_other() throws Exception {
        long id = fixture.create(api, "Overwritten", watched("Paris"));

        List<RestApiClient.Response> answers = concurrently(8, i -> api.put(definition(id),
                definitionBody(watched("City " + i)), ifMatch("*")));

        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.body()).isEqualTo(200));
        assertThat(answers).extracting(answer -> answer.header("ETag")).containsExactlyInAnyOrder("\"2\"", "\"3\"",
                "\"4\"", "\"5\"", "\"6\"", "\"7\"", "\"8\"", "\"9\"");
    }

    @Test
    void saving_an_active_audience_validates_it_and_recalculates_as_the_editor_does() throws Exception {
        long id = fixture.create(api, "Live", watched("Paris"));
        api.post(fixture.audience(id) + "/activate", null);
        assertThat(fixture.awaitCalculated(api, id).get("size").asLong()).isEqualTo(20);

        RestApiClient.Response refused = api.put(definition(id), definitionBody(AudienceApiFixture.memberOf(999_999)),
                ifMatch("\"1\""));
        assertProblem(refused, 400, "not in this workspace");
        RestApiClient.Response saved = api.put(definition(id), definitionBody(premium(watched("Paris"))),
                ifMatch("\"1\""));

        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(fixture.awaitCalculated(api, id).get("size").asLong()).isEqualTo(10);
        assertThat(jdbc.sql("SELECT definition_version FROM calculation_run WHERE audience_id = ? ORDER BY generation")
                .param(id).query(Integer.class).list()).containsExactly(1, 2);
    }

    @Test
    void a_malformed_definition_is_400_naming_where_and_nothing_is_saved() {
        long id = fixture.create(api, "Paris", watched("Paris"));

        RestApiClient.Response refused = api.put(definition(id), "{\"definition\":{\"schemaVersion\":1,\"root\":"
                + "{\"items\":[{\"user\":{\"field\":\"AGE\",\"condition\":{}}}]}}}", ifMatch("\"1\""));

        assertProblem(refused, 400, "user.field must be one of ATTRIBUTE");
        assertThat(refused.json().get("errors").get(0).get("criterion").asText()).isEqualTo("1");
        assertProblem(api.put(definition(id), "{\"definition\":null}", ifMatch("\"1\"")), 400, "Send the definition");
        assertProblem(api.put(definition(id), "{\"definition\":", ifMatch("\"1\"")), 400, "not valid JSON");
        assertThat(api.get(definition(id)).header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void inputs_are_replaced_as_a_new_version_with_the_same_criteria() {
        long id = fixture.create(api, "Web only", premium(watched("Paris")));

        RestApiClient.Response saved = api.put(fixture.audience(id) + "/inputs",
                Map.of("input_ids", List.of(fixture.input.id())), ifMatch("\"1\""));

        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.header("ETag")).isEqualTo("\"2\"");
        JsonNode current = api.get(definition(id)).json().get("definition");
        assertThat(current.get("inputs").toString()).isEqualTo("[" + fixture.input.id() + "]");
        assertThat(DefinitionJson.read(current).root()).isEqualTo(premium(watched("Paris")).root());
        assertProblem(api.put(fixture.audience(id) + "/inputs", Map.of("input_ids", List.of()), ifMatch("\"1\"")),
                409, "current version is 2");
    }

    @Test
    void inputs_of_another_workspace_are_refused_by_id() {
        long id = fixture.create(api, "Foreign inputs", watched("Paris"));
        Workspace other = fixture.callers.workspace("Other inputs");
        Input foreign = new TestEvents(inputs, ingestion, parser, clock, fixture.callers.members()).webInput(other);

        RestApiClient.Response refused = api.put(fixture.audience(id) + "/inputs",
                Map.of("input_ids", List.of(fixture.input.id(), foreign.id(), 999_999)), ifMatch("*"));

        assertProblem(refused, 400, "Inputs " + foreign.id() + ", 999999 are not inputs of this workspace.");
        assertThat(texts(refused.json().get("errors"), "field")).containsExactly("input_ids");
        assertProblem(api.put(fixture.audience(id) + "/inputs", Map.of(), ifMatch("*")), 400, "Send input_ids");
        RestApiClient.Response inDefinition = api.put(definition(id), "{\"definition\":{\"schemaVersion\":1,"
                + "\"inputs\":[" + foreign.id() + "],\"root\":{\"items\":[]}}}", ifMatch("*"));
        assertProblem(inDefinition, 400, "Input " + foreign.id() + " is not an input of this workspace.");
        assertThat(texts(inDefinition.json().get("errors"), "part")).containsExactly("inputs");
        assertThat(api.get(definition(id)).header("ETag")).isEqualTo("\"1\"");
    }

    /** Runs the calls on as many threads, all released at once by a latch; their answers. */
    static List<RestApiClient.Response> concurrently(int threads,
                                                     java.util.function.IntFunction<RestApiClient.Response> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<RestApiClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(n);
                }));
            }
            start.countDown();
            List<RestApiClient.Response> answers = new ArrayList<>();
            for (Future<RestApiClient.Response> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
