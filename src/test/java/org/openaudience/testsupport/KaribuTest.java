package org.openaudience.testsupport;

import com.github.mvysny.fakeservlet.FakeRequest;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.spring.MockSpringServlet;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinServletRequest;
import java.util.List;
import kotlin.jvm.functions.Function0;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** Browserless UI tests: real Spring context and database, Vaadin mocked by karibu-testing. */
@IntegrationTest
public abstract class KaribuTest {

    private static final Routes ROUTES = new Routes().autoDiscoverViews("org.openaudience");

    @Autowired
    protected ApplicationContext context;
    @Autowired
    protected TeamService team;
    @Autowired
    protected WorkspaceService workspaces;
    @Autowired
    protected MutableClock clock;

    protected TestMembers members;

    @BeforeEach
    void setUpVaadin() {
        members = new TestMembers(team, workspaces);
        startSession();
    }

    private void startSession() {
        Function0<UI> uiFactory = UI::new;
        MockVaadin.setup(uiFactory, new MockSpringServlet(ROUTES, context, uiFactory));
    }

    /** Like logging out and in again in a browser: a new session and UI for another member. */
    protected void switchMember(Member member) {
        logout();
        MockVaadin.tearDown();
        startSession();
        login(member);
    }

    @AfterEach
    void tearDownVaadin() {
        logout();
        MockVaadin.tearDown();
        clock.reset();
    }

    /** Signs in as in a browser: Spring's SecurityContext and the request's principal and roles. */
    protected void login(String email, Role role) {
        var authorities = List.of(new SimpleGrantedAuthority("ROLE_" + role.name()));
        var authentication = UsernamePasswordAuthenticationToken.authenticated(email, null, authorities);
        SecurityContextHolder.getContext().setAuthentication(authentication);
        FakeRequest request = (FakeRequest) VaadinServletRequest.getCurrent().getRequest();
        request.setUserPrincipalInt(authentication);
        request.setUserInRole((principal, roleName) -> role.name().equals(roleName)
                || ("ROLE_" + role.name()).equals(roleName));
    }

    protected void login(Member member) {
        login(member.getEmail(), member.getRole());
    }

    protected void loginAsAdmin() {
        login(TestMembers.ADMIN_EMAIL, Role.ADMIN);
    }

    protected void logout() {
        SecurityContextHolder.clearContext();
        if (VaadinServletRequest.getCurrent() != null) {
            FakeRequest request = (FakeRequest) VaadinServletRequest.getCurrent().getRequest();
            request.setUserPrincipalInt(null);
            request.setUserInRole((principal, roleName) -> false);
        }
    }

    protected static void navigate(String route) {
        UI.getCurrent().navigate(route);
    }
}
