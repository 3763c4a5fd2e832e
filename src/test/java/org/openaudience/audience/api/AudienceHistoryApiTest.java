package org.openaudience.audience.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openaudience.api.ApiTokens;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceService;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Frequency;
import org.openaudience.criteria.Window;
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
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Progress, calculation runs and definition history of an audience, over HTTP with a token. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AudienceHistoryApiTest {

    static final Definition PLAYED_FIVE_TIMES = Definition.of(new EventCriterion(
            org.openaudience.criteria.EventKind.EVENT, "Play Video", null, List.of(),
            Frequency.of(Frequency.Comparison.AT_LEAST, 5), new Window.LastDays(30)));

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
    InputService inputs;
    @Autowired
    IngestionService ingestion;
    @Autowired
    BatchParser parser;
    @Autowired
    MutableClock clock;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    ApiCallers callers;
    CalculatedAudience scenario;

    /** One calculated audience for the class; tests that edit make their own beside it. */
    @BeforeAll
    void setUp() {
        callers = new ApiCallers(team, workspaces, tokens, port);
        scenario = new CalculatedAudience(callers, new TestEvents(inputs, ingestion, parser, clock, callers.members()),
                audiences);
    }

    Audience edited;

    /**
     * An audience activated with "Play Video" (version 1), then edited to "at least 5 times" (version 2), made once
     * for the tests that read a history of two.
     */
    Audience edited() {
        if (edited == null) {
            edited = scenario.activated("Edited " + TestMembers.unique(),
                    Definition.of(EventCriterion.event("Play Video")));
            scenario.asUser(() -> audiences.updateDefinition(edited.id(), PLAYED_FIVE_TIMES));
        }
        return edited;
    }

    @Test
    void progress_of_a_calculated_audience_gives_its_size_and_when_it_was_complete() {
        RestApiClient.Response response = scenario.user.api().get(scenario.path() + "/progress");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode progress = response.json();
        assertThat(progress.get("audience_id").asLong()).isEqualTo(scenario.audience.id());
        assertThat(progress.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(progress.get("size").asLong()).isEqualTo(CalculatedAudience.MEMBER_CUSTOMER_IDS.size());
        assertThat(progress.get("calculating").asBoolean()).isFalse();
        assertThat(progress.get("percent").asInt()).isEqualTo(100);
        assertThat(progress.get("ranges_done").asInt()).isEqualTo(progress.get("ranges_total").asInt())
                .isPositive();
        assertThat(progress.get("members_found_so_far").asLong()).isEqualTo(6);
        assertThat(progress.get("last_error").isNull()).isTrue();
        assertThat(Instant.parse(progress.get("last_completed_at").asText())).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void progress_of_a_draft_says_it_was_never_calculated() {
        long draft = scenario.asUser(() -> audiences.createAudience(scenario.workspace.id(), "Draft", null,
                PLAYED_FIVE_TIMES)).id();

        JsonNode progress = scenario.user.api().get("/api/v1/workspaces/" + scenario.workspace.id() + "/audiences/"
                + draft + "/progress").json();

        assertThat(progress.get("status").asText()).isEqualTo("DRAFT");
        assertThat(progress.get("size").asLong()).isZero();
        assertThat(progress.get("last_completed_at").isNull()).isTrue();
    }

    @Test
    void progress_names_the_attribute_indexes_still_being_built_for_the_definition() {
        String seat = "seat_" + org.openaudience.testsupport.TestMembers.unique();
        long draft = scenario.asUser(() -> audiences.createAudience(scenario.workspace.id(), "Window seats", null,
                org.openaudience.criteria.Definition.of(org.openaudience.criteria.EventCriterion.event("Play Video",
                        org.openaudience.criteria.Condition.of(seat, org.openaudience.criteria.DataType.STRING,
                                org.openaudience.criteria.Operator.EXACT_MATCH, "window"))))).id();
        String progress = "/api/v1/workspaces/" + scenario.workspace.id() + "/audiences/" + draft + "/progress";
        assertThat(scenario.user.api().get(progress).json().get("indexes_building")).isEmpty();

        jdbc.sql("INSERT INTO attribute_index (source, attribute, value_kind, status, created_at, status_changed_at)"
                + " VALUES ('EVENT', ?, 'TEXT', 'BUILDING', NOW(3), NOW(3))").param(seat).update();
        try {
            JsonNode building = scenario.user.api().get(progress).json().get("indexes_building");
            assertThat(building).hasSize(1);
            assertThat(building.get(0).get("source").asText()).isEqualTo("EVENT");
            assertThat(building.get(0).get("attribute").asText()).isEqualTo(seat);
            assertThat(building.get(0).get("kind").asText()).isEqualTo("TEXT");
            assertThat(building.get(0).get("percent").isNull()).as("waiting for its turn").isTrue();
        } finally {
            jdbc.sql("DELETE FROM attribute_index WHERE attribute = ?").param(seat).update();
        }
    }

    @Test
    void runs_are_listed_newest_first_with_their_version_trigger_duration_and_size_at_completion() {
        String path = scenario.path(edited().id());
        scenario.awaitCalculated(edited.id());

        RestApiClient.Response response = scenario.user.api().get(path + "/runs");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode page = response.json();
        assertThat(page.get("total").asLong()).isEqualTo(2);
        JsonNode newest = page.get("items").get(0);
        assertThat(newest.get("generation").asInt()).isEqualTo(2);
        assertThat(newest.get("definition_version").asInt()).isEqualTo(2);
        assertThat(newest.get("status").asText()).isEqualTo("DONE");
        assertThat(newest.get("trigger").asText()).isEqualTo("EDIT");
        assertThat(newest.get("size_at_completion").asLong()).as("nobody played five times").isZero();
        assertThat(newest.get("size").asLong()).isZero();
        assertThat(newest.get("duration_ms").asLong()).isEqualTo(java.time.Duration.between(
                Instant.parse(newest.get("started_at").asText()),
                Instant.parse(newest.get("finished_at").asText())).toMillis());
        JsonNode first = page.get("items").get(1);
        assertThat(first.get("generation").asInt()).isEqualTo(1);
        assertThat(first.get("trigger").asText()).isEqualTo("ACTIVATION");
        assertThat(first.get("size_at_completion").asLong()).isEqualTo(6);
        assertThat(first.get("error").isNull()).isTrue();

        JsonNode second = scenario.user.api().get(path + "/runs?offset=1&limit=1").json();
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("items").get(0).get("generation").asInt()).isEqualTo(1);
        assertThat(second.get("total").asLong()).isEqualTo(2);
    }

    @Test
    void versions_are_listed_newest_first_each_with_its_changes_in_sentences() {
        String path = scenario.path(edited().id());

        RestApiClient.Response response = scenario.user.api().get(path + "/versions");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode page = response.json();
        assertThat(page.get("total").asLong()).isEqualTo(2);
        JsonNode newest = page.get("items").get(0);
        assertThat(newest.get("version").asInt()).isEqualTo(2);
        assertThat(newest.get("previous_version").asInt()).isEqualTo(1);
        assertThat(newest.get("saved_by").asText()).isEqualTo(scenario.user.member().getEmail());
        assertThat(newest.get("saved_at").asText()).isNotBlank();
        assertThat(newest.get("summary").get(0).asText()).isEqualTo("changed criterion 1: "
                + "\"Play Video · > 0 in the last 30 days\" → \"Play Video · at least 5 in the last 30 days\"");
        JsonNode first = page.get("items").get(1);
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(first.get("previous_version").isNull()).isTrue();
        assertThat(first.get("summary")).isEmpty();

        JsonNode paged = scenario.user.api().get(path + "/versions?limit=1").json();
        assertThat(paged.get("items")).hasSize(1);
        assertThat(paged.get("items").get(0).get("summary")).as("compared across the page's edge").hasSize(1);
    }

    @Test
    void one_version_gives_its_stored_definition_and_each_change_with_its_place() {
        String path = scenario.path(edited().id());

        RestApiClient.Response response = scenario.user.api().get(path + "/versions/2");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode version = response.json();
        assertThat(version.get("version").asInt()).isEqualTo(2);
        assertThat(version.get("previous_version").asInt()).isEqualTo(1);
        assertThat(DefinitionJson.read(version.get("definition").toString())).isEqualTo(PLAYED_FIVE_TIMES);
        assertThat(version.get("definition").get("schemaVersion").asInt()).isEqualTo(DefinitionJson.SCHEMA_VERSION);
        JsonNode change = version.get("changes").get(0);
        assertThat(change.get("kind").asText()).isEqualTo("CRITERION_CHANGED");
        assertThat(change.get("path").asText()).isEqualTo("1");
        assertThat(change.get("previous_path").asText()).isEqualTo("1");
        assertThat(change.get("description").asText()).startsWith("changed criterion 1: ");

        JsonNode first = scenario.user.api().get(path + "/versions/1").json();
        assertThat(first.get("changes")).isEmpty();
        assertThat(first.has("previous_version")).isTrue();
        assertThat(first.get("previous_version").isNull()).isTrue();
    }

    @Test
    void read_only_members_may_read_the_history_too() {
        ApiCallers.Caller readOnly = callers.caller(Role.READ_ONLY, scenario.workspace);

        assertThat(readOnly.api().get(scenario.path() + "/progress").status()).isEqualTo(200);
        assertThat(readOnly.api().get(scenario.path() + "/runs").status()).isEqualTo(200);
        assertThat(readOnly.api().get(scenario.path() + "/versions").status()).isEqualTo(200);
        assertThat(readOnly.api().get(scenario.path() + "/versions/1").status()).isEqualTo(200);
    }

    @Test
    void a_version_that_does_not_exist_is_a_404_problem() {
        assertProblem(scenario.user.api().get(scenario.path() + "/versions/9"), 404, "no definition version 9");
        assertProblem(scenario.user.api().get(scenario.path() + "/versions/0"), 404, "no definition version 0");
    }

    @Test
    void a_bad_page_or_version_is_a_400_problem() {
        assertProblem(scenario.user.api().get(scenario.path() + "/runs?limit=500"), 400, "limit");
        assertProblem(scenario.user.api().get(scenario.path() + "/versions?offset=-1"), 400, "offset");
        assertProblem(scenario.user.api().get(scenario.path() + "/versions/latest"), 400, "version");
    }

    @Test
    void a_member_limited_to_another_workspace_gets_404_for_every_history_path() {
        ApiCallers.Caller elsewhere = callers.caller(Role.USER, callers.workspace("Elsewhere"));

        for (String part : List.of("/progress", "/runs", "/versions", "/versions/1")) {
            assertProblem(elsewhere.api().get(scenario.path() + part), 404, "does not exist");
        }
    }

    @Test
    void an_audience_asked_for_under_another_workspaces_path_is_a_404() {
        var other = callers.workspace("Other");
        ApiCallers.Caller both = callers.caller(Role.USER, scenario.workspace, other);
        String wrongPath = "/api/v1/workspaces/" + other.id() + "/audiences/" + scenario.audience.id();

        for (String part : List.of("/progress", "/runs", "/versions", "/versions/1")) {
            assertProblem(both.api().get(wrongPath + part), 404, "does not exist");
        }
        assertProblem(both.api().get("/api/v1/workspaces/" + scenario.workspace.id() + "/audiences/0/runs"), 404,
                "does not exist");
    }

}
