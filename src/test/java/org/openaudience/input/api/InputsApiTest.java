package org.openaudience.input.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.api.ApiTokens;
import org.openaudience.input.InputCredentials;
import org.openaudience.input.InputService;
import org.openaudience.input.Platform;
import org.openaudience.security.Role;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Inputs over HTTP: for Admin and Support, as Setup › Inputs; keys shown, secrets never. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InputsApiTest {

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

    ApiCallers callers;
    Workspace workspace;
    InputCredentials android;
    InputCredentials web;
    InputCredentials roku;

    @BeforeEach
    void three_inputs_one_disabled() {
        callers = new ApiCallers(team, workspaces, tokens, port);
        workspace = callers.workspace("Inputs API");
        android = callers.members().asAdmin(() -> inputs.addInput(workspace.id(), "Android app", Platform.ANDROID));
        web = callers.members().asAdmin(() -> inputs.addInput(workspace.id(), "Web site", Platform.WEB));
        roku = callers.members().asAdmin(() -> inputs.addInput(workspace.id(), "Roku channel", Platform.ROKU));
        callers.members().asAdmin(() -> inputs.setEnabled(android.inputId(), false));
    }

    private String inputsPath() {
        return "/api/v1/workspaces/" + workspace.id() + "/inputs";
    }

    @Test
    void support_lists_inputs_by_name_with_platform_key_and_state_never_the_secret_or_its_hash() {
        ApiCallers.Caller support = callers.caller(Role.SUPPORT, workspace);

        RestApiClient.Response response = support.api().get(inputsPath());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode page = response.json();
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("items")).extracting(item -> item.get("name").asText())
                .containsExactly("Android app", "Roku channel", "Web site");
        JsonNode first = page.get("items").get(0);
        assertThat(first.get("id").asLong()).isEqualTo(android.inputId());
        assertThat(first.get("platform").asText()).isEqualTo("ANDROID");
        assertThat(first.get("platform_label").asText()).isEqualTo("Android");
        assertThat(first.get("api_key").asText()).isEqualTo(android.apiKey());
        assertThat(first.get("enabled").asBoolean()).isFalse();
        assertThat(page.get("items").get(2).get("enabled").asBoolean()).isTrue();
        assertThat(first.has("secret_hash")).isFalse();
        for (InputCredentials credentials : List.of(android, web, roku)) {
            String hash = inputs.findByCredentials(credentials.apiKey(), credentials.secret()).orElseThrow()
                    .secretHash();
            assertThat(response.body()).doesNotContain(credentials.secret()).doesNotContain(hash);
        }
    }

    @Test
    void pages_start_exactly_at_the_offset() {
        ApiCallers.Caller admin = callers.caller(Role.ADMIN);

        JsonNode page = admin.api().get(inputsPath() + "?offset=1&limit=2").json();

        assertThat(page.get("items")).extracting(item -> item.get("name").asText())
                .containsExactly("Roku channel", "Web site");
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertProblem(admin.api().get(inputsPath() + "?offset=-1"), 400, "offset must be 0 or more");
    }

    @Test
    void roles_that_do_not_see_setup_inputs_get_only_ids_names_and_platforms_for_their_definitions() {
        for (Role role : List.of(Role.USER, Role.AUDIENCES_ONLY, Role.READ_ONLY)) {
            ApiCallers.Caller caller = callers.caller(role, workspace);
            RestApiClient.Response response = caller.api().get(inputsPath() + "?offset=1&limit=1");
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode item = response.json().get("items").get(0);
            assertThat(response.json().get("total").asLong()).isEqualTo(3);
            assertThat(item.get("id").asLong()).isEqualTo(roku.inputId());
            assertThat(item.get("platform").asText()).isEqualTo("ROKU");
            assertThat(item.has("api_key")).as(role + " sees no key").isFalse();
            assertThat(item.has("enabled")).isFalse();
            assertThat(response.body()).doesNotContain(roku.apiKey());
        }
    }

    @Test
    void support_limited_to_another_workspace_is_refused_its_inputs() {
        Workspace other = callers.workspace("Inputs elsewhere");
        ApiCallers.Caller support = callers.caller(Role.SUPPORT, other);

        assertProblem(support.api().get(inputsPath()), 404, "Workspace " + workspace.id() + " does not exist, or you cannot use it.");
        assertThat(support.api().get("/api/v1/workspaces/" + other.id() + "/inputs").json().get("total").asLong())
                .isZero();
    }

}
