package org.openaudience.workspace.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openaudience.api.ApiTokens;
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

/** A script finds its workspace ids here: exactly the workspaces the token's member may use. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WorkspacesApiTest {

    @LocalServerPort
    int port;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    ApiTokens tokens;

    @Test
    void a_member_limited_to_one_workspace_lists_only_that_one_and_an_admin_lists_them_all() {
        ApiCallers callers = new ApiCallers(team, workspaces, tokens, port);
        Workspace mine = callers.workspace("Mine");
        Workspace other = callers.workspace("Not mine");
        ApiCallers.Caller limited = callers.caller(Role.READ_ONLY, mine);
        ApiCallers.Caller admin = callers.caller(Role.ADMIN);

        RestApiClient.Response response = limited.api().get("/api/v1/workspaces");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).extracting(item -> item.get("id").asLong()).containsExactly(mine.id());
        assertThat(response.json().get(0).get("name").asText()).isEqualTo(mine.name());
        JsonNode all = admin.api().get("/api/v1/workspaces").json();
        assertThat(all).extracting(item -> item.get("id").asLong()).contains(mine.id(), other.id());
    }
}
