package org.openaudience.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openaudience.testsupport.ProblemAssertions.assertProblem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditEntry;
import org.openaudience.audit.AuditFilter;
import org.openaudience.audit.AuditLog;
import org.openaudience.security.Role;
import org.openaudience.team.TeamService;
import org.openaudience.testsupport.ApiCallers;
import org.openaudience.testsupport.IntegrationTest;
import org.openaudience.testsupport.MutableClock;
import org.openaudience.testsupport.RestApiClient;
import org.openaudience.testsupport.TestMembers;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Bearer tokens over real HTTP: who gets in, and every refusal a problem-details answer, never a page. */
@IntegrationTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiTokenAuthenticationTest {

    @LocalServerPort
    int port;
    @Autowired
    TeamService team;
    @Autowired
    WorkspaceService workspaces;
    @Autowired
    ApiTokens tokens;
    @Autowired
    AuditLog audit;
    @Autowired
    MutableClock clock;
    @Autowired
    TokenRefusals refusals;

    ApiCallers callers;
    Workspace workspace;

    @BeforeEach
    void setUp() {
        callers = new ApiCallers(team, workspaces, tokens, port);
        workspace = callers.workspace("Tokens");
    }

    @AfterEach
    void resetClockAndRefusals() {
        clock.reset();
        refusals.forgetAll();
    }

    private String audiencesPath() {
        return "/api/v1/workspaces/" + workspace.id() + "/audiences";
    }

    @Test
    void a_valid_token_lists_the_audiences_of_its_members_workspace() {
        ApiCallers.Caller user = callers.caller(Role.USER, workspace);

        RestApiClient.Response response = user.api().get(audiencesPath());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().get("total").asLong()).isZero();
        assertThat(response.json().get("items").isArray()).isTrue();
        assertThat(response.header("Set-Cookie")).as("stateless: no session").isNull();
    }

    @Test
    void a_request_without_a_token_gets_a_401_problem_not_a_login_redirect() {
        RestApiClient.Response response = callers.client(null).get(audiencesPath());

        assertProblem(response, 401, "Authorization: Bearer");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void a_session_style_or_basic_authorization_is_refused_with_how_to_send_a_token() {
        RestApiClient.Response response = callers.client(null).send("GET", audiencesPath(), null,
                Map.of("Authorization", "Basic YWRtaW46YWRtaW4="));

        assertProblem(response, 401, "Bearer <token>");
    }

    @Test
    void an_unknown_token_is_refused_and_audited_without_its_secret() {
        String made = "oa_" + "x".repeat(43);
        RestApiClient.Response response = callers.client(made).get(audiencesPath());

        assertProblem(response, 401, "not valid");
        assertThat(refusals()).anySatisfy(entry -> assertThat(entry.detail()).startsWith("unknown token oa_xxxxxxx")
                .doesNotContain(made));
    }

    @Test
    void a_revoked_token_stops_working_at_once_and_the_revocation_is_audited() {
        ApiCallers.Caller user = callers.caller(Role.USER, workspace);
        assertThat(user.api().get(audiencesPath()).status()).isEqualTo(200);
        long tokenId = asMember(user, () -> tokens.ownTokens(0, 10).get(0).id());

        asMember(user, () -> tokens.revoke(tokenId));

        assertProblem(user.api().get(audiencesPath()), 401, "revoked");
        assertThat(audit(AuditAction.API_TOKEN_REVOKED)).anySatisfy(entry ->
                assertThat(entry.actor()).isEqualTo(user.member().getEmail()));
        assertThat(refusals()).anySatisfy(entry -> assertThat(entry.actor()).isEqualTo(user.member().getEmail()));
    }

    @Test
    void an_expired_token_is_refused_with_its_expiry() {
        ApiCallers.Caller user = callers.caller(Role.USER, workspace);
        String shortLived = callers.tokenOf(user.member(), clock.instant().plus(Duration.ofDays(1)));
        assertThat(callers.client(shortLived).get(audiencesPath()).status()).isEqualTo(200);

        clock.advance(Duration.ofDays(1));

        assertProblem(callers.client(shortLived).get(audiencesPath()), 401, "expired on");
        assertThat(user.api().get(audiencesPath()).status()).as("the token without expiry").isEqualTo(200);
    }

    @Test
    void deactivating_the_member_stops_their_tokens() {
        ApiCallers.Caller user = callers.caller(Role.USER, workspace);

        callers.members().asAdmin(() -> team.deactivateMember(user.member().getId()));

        assertProblem(user.api().get(audiencesPath()), 401, "deactivated");
    }

    @Test
    void a_token_acts_with_its_members_workspaces_a_foreign_workspace_is_not_found_like_a_missing_one() {
        Workspace other = callers.workspace("Other");
        ApiCallers.Caller limited = callers.caller(Role.USER, workspace);

        RestApiClient.Response response = limited.api().get("/api/v1/workspaces/" + other.id() + "/audiences");

        assertProblem(response, 404, "Workspace " + other.id() + " does not exist, or you cannot use it.");
        assertProblem(limited.api().get("/api/v1/workspaces/99999999/audiences"), 404,
                "Workspace 99999999" + " does not exist, or you cannot use it.");
    }

    @Test
    void a_path_no_operation_serves_is_a_404_problem_and_a_wrong_method_a_405_with_allow() {
        ApiCallers.Caller user = callers.caller(Role.USER, workspace);

        assertProblem(user.api().get("/api/v1/nothing-here"), 404, "no API operation");
        RestApiClient.Response wrongMethod = user.api().send("PATCH", audiencesPath(), "{}", Map.of());
        assertProblem(wrongMethod, 405, "PATCH is not supported");
        assertThat(wrongMethod.header("Allow")).contains("GET");
    }

    @Test
    void a_malformed_parameter_is_a_400_problem() {
        ApiCallers.Caller user = callers.caller(Role.USER, workspace);

        assertProblem(user.api().get(audiencesPath() + "?status=SOMETIMES"), 400, "status");
        assertProblem(user.api().get(audiencesPath() + "?limit=0"), 400, "limit");
    }

    @Test
    void a_token_sending_too_fast_gets_429_with_retry_after() {
        ApiCallers.Caller user = callers.caller(Role.USER, workspace);
        RestApiClient.Response last = null;
        for (int i = 0; i < 200 && (last == null || last.status() != 429); i++) {
            last = user.api().get(audiencesPath());
        }

        assertProblem(last, 429, "retry after");
        assertThat(last.header("Retry-After")).isNotBlank();
    }

    @Test
    void made_up_tokens_in_a_loop_get_429_beyond_the_allowance_and_stop_filling_the_audit_log() {
        refusals.forgetAll();
        ApiCallers.Caller user = callers.caller(Role.USER, workspace);
        int auditedBefore = auditCount(AuditAction.API_TOKEN_REFUSED);
        int refused = 0;
        RestApiClient.Response last = null;
        for (int i = 0; i < 45; i++) {
            last = callers.client("oa_made-up-" + i).get(audiencesPath());
            refused += last.status() == 401 ? 1 : 0;
        }

        assertThat(refused).isBetween(30, 32);
        assertProblem(last, 429, "Too many refused API tokens");
        assertThat(last.header("Retry-After")).isNotBlank();
        assertThat(auditCount(AuditAction.API_TOKEN_REFUSED) - auditedBefore).isEqualTo(refused);
        assertThat(user.api().get(audiencesPath()).status()).as("a valid token from the same address")
                .isEqualTo(200);
    }

    private int auditCount(AuditAction action) {
        return callers.members().asAdmin(() -> audit.count(new AuditFilter(java.util.Set.of(action), null, null,
                null)));
    }


    private <T> T asMember(ApiCallers.Caller caller, java.util.function.Supplier<T> work) {
        return org.openaudience.security.RunAs.member(caller.member().getEmail(), caller.member().getRole(), work);
    }

    private List<AuditEntry> refusals() {
        return audit(AuditAction.API_TOKEN_REFUSED);
    }

    private List<AuditEntry> audit(AuditAction action) {
        return callers.members().asAdmin(() -> audit.page(new AuditFilter(java.util.Set.of(action), null, null, null), 0, 50)
                .toList());
    }
}
