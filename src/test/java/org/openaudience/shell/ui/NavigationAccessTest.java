package org.openaudience.shell.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.sidenav.SideNavItem;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openaudience.audit.ui.AuditLogView;
import org.openaudience.input.ui.InputsView;
import org.openaudience.livestream.ui.LiveStreamView;
import org.openaudience.security.Role;
import org.openaudience.security.ui.LoginView;
import org.openaudience.team.ui.TeamView;
import org.openaudience.testsupport.KaribuTest;
import org.openaudience.workspace.ui.WorkspacesView;

/** The menu shows each role exactly the pages it may open, and typing another page's URL is refused. */
class NavigationAccessTest extends KaribuTest {

    /** Audiences Only: no Live Stream (PRODUCT.md §6). */
    private static final List<String> AUDIENCES_ONLY = List.of("Home", "Audiences", "Data", "Catalog", "Users",
            "Lookup");
    private static final List<String> WATCHERS = List.of("Home", "Audiences", "Data", "Live Stream", "Catalog",
            "Users", "Lookup");
    /** Read Only: no user lookup (identities are personal data). */
    private static final List<String> READ_ONLY = List.of("Home", "Audiences", "Data", "Live Stream", "Catalog");

    private static final Map<Role, List<String>> MENU = Map.of(
            Role.ADMIN, with("Setup", "Inputs", "Outputs", "Settings", "Workspaces", "Team", "Audit log"),
            Role.SUPPORT, with("Setup", "Inputs", "Outputs", "Settings", "Workspaces", "Audit log"),
            Role.USER, with("Setup", "Outputs"),
            Role.AUDIENCES_ONLY, AUDIENCES_ONLY,
            Role.READ_ONLY, READ_ONLY);

    private static final Map<String, Class<?>> RESTRICTED = Map.of(
            "setup/inputs", InputsView.class,
            "setup/outputs", org.openaudience.output.ui.OutputsView.class,
            "settings/workspaces", WorkspacesView.class,
            "settings/team", TeamView.class,
            "settings/audit-log", AuditLogView.class,
            "data/live-stream", LiveStreamView.class,
            "users/lookup", org.openaudience.profile.ui.UserLookupView.class);

    private static List<String> with(String... more) {
        return Stream.concat(WATCHERS.stream(), Arrays.stream(more)).toList();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void the_menu_shows_only_what_the_role_may_open(Role role) {
        login(members.member(role));
        navigate("");
        assertThat(_get(HomeView.class)).isNotNull();
        assertThat(_find(SideNavItem.class).stream().map(SideNavItem::getLabel)).containsExactlyElementsOf(
                MENU.get(role));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void pages_outside_the_role_are_refused_when_typed_as_url(Role role) {
        login(members.member(role));
        RESTRICTED.forEach((route, view) -> {
            navigate(route);
            boolean allowed = MENU.get(role).contains(switch (route) {
                case "setup/inputs" -> "Inputs";
                case "setup/outputs" -> "Outputs";
                case "settings/workspaces" -> "Workspaces";
                case "settings/team" -> "Team";
                case "data/live-stream" -> "Live Stream";
                case "users/lookup" -> "Lookup";
                default -> "Audit log";
            });
            Class<?> shown = UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0).getClass();
            assertThat(shown).as(role + " opening " + route).isEqualTo(allowed ? view : AccessDeniedView.class);
        });
    }

    @Test
    void a_member_deactivated_while_signed_in_is_sent_to_the_login_page_with_the_reason() {
        var member = members.member(Role.USER);
        login(member);
        navigate("");
        members.asAdmin(() -> team.deactivateMember(member.getId()));
        navigate("data/catalog");
        assertThat(_find(LoginView.class)).hasSize(1);
        assertThat(_get(LoginView.class).getElement().getTextRecursively()).contains("deactivated");
    }

    @Test
    void anonymous_visitors_are_sent_to_the_login_page() {
        navigate("settings/team");
        assertThat(_find(LoginView.class)).hasSize(1);
        assertThat(_find(TeamView.class)).isEmpty();
    }
}
