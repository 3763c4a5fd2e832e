package org.openaudience.testsupport;

import java.time.Instant;
import org.openaudience.api.ApiTokens;
import org.openaudience.security.Role;
import org.openaudience.security.RunAs;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/** Members with a personal API token, made through the real services, for tests of the REST API over HTTP. */
public class ApiCallers {

    private final TestMembers members;
    private final ApiTokens tokens;
    private final int port;

    public ApiCallers(TeamService team, WorkspaceService workspaces, ApiTokens tokens, int port) {
        this.members = new TestMembers(team, workspaces);
        this.tokens = tokens;
        this.port = port;
    }

    /** A member with the token and a client that sends it. */
    public record Caller(Member member, String token, RestApiClient api) {
    }

    public TestMembers members() {
        return members;
    }

    public Workspace workspace(String prefix) {
        return members.workspace(prefix);
    }

    /** A new member of the role with access to these workspaces (none: all), and a token that never expires. */
    public Caller caller(Role role, Workspace... access) {
        Member member = members.member(role, access);
        String token = tokenOf(member, null);
        return new Caller(member, token, new RestApiClient(port, token));
    }

    /** Another token of the member, created as they would on their API tokens page. */
    public String tokenOf(Member member, Instant expiresAt) {
        return RunAs.member(member.getEmail(), member.getRole(),
                () -> tokens.create("test token " + TestMembers.unique(), expiresAt).secret());
    }

    public RestApiClient client(String token) {
        return new RestApiClient(port, token);
    }
}
