package org.openaudience.abtest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** An audience's A/B test over HTTP: the A/B Test tab's rules, refusals and audit entries. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AbTestApiTest {

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
    AbTestService tests;
    @Autowired
    AuditLog audit;

    ApiCallers callers;
    Workspace workspace;
    ApiCallers.Caller user;
    long audienceId;

    @BeforeEach
    void an_audience_and_a_user() {
        callers = new ApiCallers(team, workspaces, tokens, port);
        workspace = callers.workspace("AB API");
        user = callers.caller(Role.USER, workspace);
        audienceId = asUser(() -> audiences.createAudience(workspace.id(), "Split viewers", null,
                Definition.of(EventCriterion.event("Play Video")))).id();
    }

    private String path() {
        return "/api/v1/workspaces/" + workspace.id() + "/audiences/" + audienceId + "/ab-test";
    }

    private static Map<String, Object> split(Object... namesAndPercents) {
        List<Map<String, Object>> variations = new java.util.ArrayList<>();
        for (int i = 0; i < namesAndPercents.length; i += 2) {
            Map<String, Object> variation = new java.util.HashMap<>();
            variation.put("name", namesAndPercents[i]);
            variation.put("percent", namesAndPercents[i + 1]);
            variations.add(variation);
        }
        return Map.of("variations", variations);
    }

    @Test
    void put_creates_a_saved_test_where_control_keeps_the_rest_and_get_answers_it() {
        RestApiClient.Response created = user.api().put(path(), split("Half price", 30, null, 20), Map.of());

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo(user.api().url(path()));
        JsonNode test = created.json();
        assertThat(test.get("saved").asBoolean()).isTrue();
        assertThat(test.get("audience_id").asLong()).isEqualTo(audienceId);
        assertThat(variations(test)).containsExactly("0 Control 50", "1 Half price 30", "2 Variation 2 20");
        String externalName = asUser(() -> audiences.audience(audienceId)).externalName();
        assertThat(test.get("variations").get(1).get("external_name").asText())
                .isEqualTo(externalName + " - Half price");

        RestApiClient.Response read = user.api().get(path());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(test);
        assertThat(asUser(() -> tests.test(audienceId)).orElseThrow().saved()).as("the UI sees it saved").isTrue();
        assertThat(audited(AuditAction.AB_TEST_SAVED)).singleElement().satisfies(entry -> {
            assertThat(entry.target()).isEqualTo("Split viewers");
            assertThat(entry.detail()).isEqualTo("Control 50 %, Half price 30 %, Variation 2 20 %");
        });
    }

    @Test
    void a_saved_test_is_frozen_its_own_split_put_again_changes_nothing_another_is_a_409() {
        JsonNode saved = user.api().put(path(), split("Half price", 30), Map.of()).json();

        RestApiClient.Response again = user.api().put(path(), Map.of("variations", saved.get("variations")),
                Map.of());
        assertThat(again.status()).as("the GET answer put back, Control included").isEqualTo(200);
        assertThat(again.json()).isEqualTo(saved);

        RestApiClient.Response other = user.api().put(path(), split("Half price", 40), Map.of());
        assertProblem(other, 409, "The test is saved and frozen; delete it to start again.");
        assertThat(other.json().get("variations").get(0).get("percent").asInt()).as("the current split").isEqualTo(70);
        assertThat(user.api().get(path()).json()).isEqualTo(saved);
        assertThat(audited(AuditAction.AB_TEST_SAVED)).as("saved once").hasSize(1);
    }

    @Test
    void an_open_test_started_on_the_tab_is_replaced_as_delete_and_start_would() {
        asUser(() -> tests.startTest(audienceId));
        asUser(() -> tests.addVariation(audienceId, 10, "Draft"));

        RestApiClient.Response replaced = user.api().put(path(), split("Final", 25), Map.of());

        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(variations(replaced.json())).containsExactly("0 Control 75", "1 Final 25");
        assertThat(audited(AuditAction.AB_TEST_DELETED)).singleElement().satisfies(entry ->
                assertThat(entry.detail()).isEqualTo("not saved: Control 90 %, Draft 10 %"));
    }

    @Test
    void delete_answers_204_then_the_test_is_gone_and_a_second_delete_is_a_404() {
        user.api().put(path(), split("B", 50), Map.of());

        RestApiClient.Response deleted = user.api().delete(path());

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertProblem(user.api().get(path()), 404, "has no A/B test");
        assertProblem(user.api().delete(path()), 404, "has no A/B test");
        assertThat(audited(AuditAction.AB_TEST_DELETED)).singleElement().satisfies(entry ->
                assertThat(entry.detail()).isEqualTo("saved: Control 50 %, B 50 %"));
    }

    @Test
    void each_broken_rule_is_a_400_naming_the_variation_and_nothing_is_created() {
        assertInvalid(split("A", 60, "B", 40), "variations[1].percent",
                "Use 1 to 39 %: the variations may not total 100 % or more, Control keeps the rest.");
        assertInvalid(split("A", 0), "variations[0].percent", "Use 1 to 99 %");
        assertInvalid(split("A", null), "variations[0].percent", "Enter a percentage.");
        assertInvalid(split("A", 10, "a", 10), "variations[1].name", "This test already has a variation named \"a\".");
        assertInvalid(split("x".repeat(61), 10), "variations[0].name", "Use at most 60 characters.");
        assertInvalid(split("A", 10, "B", 10, "C", 10, "D", 10, "E", 10), "variations",
                "A test has at most 5 variations, Control included.");
        assertInvalid(Map.of("variations", List.of()), "variations", "Add at least one variation besides Control.");
        assertInvalid(Map.of(), "variations", "Add at least one variation besides Control.");
        assertInvalid(split("Control", 80, "B", 30), "variations[0].percent", "Control keeps the rest: 70 %.");
        assertProblem(user.api().put(path(), "{\"variations\": 5}", Map.of()), 400, "\"variations\"");

        assertProblem(user.api().get(path()), 404, "has no A/B test");
    }

    private void assertInvalid(Object body, String field, String message) {
        RestApiClient.Response response = user.api().put(path(), body, Map.of());
        assertProblem(response, 400, message);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
    }

    @Test
    void read_only_reads_the_test_but_cannot_put_or_delete_it_audiences_only_can() {
        ApiCallers.Caller readOnly = callers.caller(Role.READ_ONLY, workspace);
        ApiCallers.Caller audiencesOnly = callers.caller(Role.AUDIENCES_ONLY, workspace);

        assertProblem(readOnly.api().put(path(), split("B", 50), Map.of()), 403, "Read Only");
        assertThat(audiencesOnly.api().put(path(), split("B", 50), Map.of()).status()).isEqualTo(201);
        assertThat(readOnly.api().get(path()).status()).isEqualTo(200);
        assertProblem(readOnly.api().delete(path()), 403, "Read Only");
        assertThat(user.api().get(path()).json().get("saved").asBoolean()).as("still there").isTrue();
    }

    @Test
    void a_member_of_another_workspace_and_another_workspaces_path_get_404_as_for_a_missing_audience() {
        Workspace other = callers.workspace("AB elsewhere");
        ApiCallers.Caller stranger = callers.caller(Role.USER, other);
        ApiCallers.Caller admin = callers.caller(Role.ADMIN);
        user.api().put(path(), split("B", 50), Map.of());
        String missing = "Audience " + audienceId + " does not exist, or it is in a workspace you cannot use.";

        String workspaceMissing = "Workspace " + workspace.id() + " does not exist, or you cannot use it.";
        assertProblem(stranger.api().get(path()), 404, workspaceMissing);
        assertProblem(stranger.api().put(path(), split("C", 10), Map.of()), 404, workspaceMissing);
        assertProblem(stranger.api().delete(path()), 404, workspaceMissing);
        String wrongPath = "/api/v1/workspaces/" + other.id() + "/audiences/" + audienceId + "/ab-test";
        assertProblem(admin.api().get(wrongPath), 404, missing);
        assertProblem(admin.api().delete(wrongPath), 404, missing);

        assertThat(variations(user.api().get(path()).json())).containsExactly("0 Control 50", "1 B 50");
    }

    private static List<String> variations(JsonNode test) {
        List<String> lines = new java.util.ArrayList<>();
        test.get("variations").forEach(v -> lines.add(v.get("position").asInt() + " " + v.get("name").asText() + " "
                + v.get("percent").asInt()));
        return lines;
    }

    private List<AuditEntry> audited(AuditAction action) {
        return callers.members().asAdmin(() -> audit.page(new AuditFilter(Set.of(action), user.member().getEmail(),
                null, null), 0, 50).toList());
    }

    private <T> T asUser(java.util.function.Supplier<T> work) {
        return RunAs.member(user.member().getEmail(), Role.USER, work);
    }

}
