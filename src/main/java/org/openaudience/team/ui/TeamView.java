package org.openaudience.team.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import jakarta.annotation.security.RolesAllowed;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Collectors;
import org.openaudience.security.Role;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/** Settings › Team (Admin only): who may sign in, with which role and workspaces. */
@Route("settings/team")
@PageTitle("Team")
@Menu(order = 30, title = "Team", icon = "vaadin:users")
@RolesAllowed(Role.Names.ADMIN)
@AccessDeniedErrorRouter
public class TeamView extends VerticalLayout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final TeamService team;
    private final WorkspaceService workspaces;
    private final Clock clock;
    final TextField search = new TextField();
    final Grid<Member> grid = new Grid<>(Member.class, false);

    public TeamView(TeamService team, WorkspaceService workspaces, Clock clock) {
        this.team = team;
        this.workspaces = workspaces;
        this.clock = clock;
        addClassName("team-view");
        setSizeFull();
        add(toolbar(), grid());
    }

    private HorizontalLayout toolbar() {
        search.setPlaceholder("Search by name or email");
        search.setAriaLabel("Search members");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setClearButtonVisible(true);
        search.addValueChangeListener(e -> grid.getDataProvider().refreshAll());
        Button add = new Button("Add member", VaadinIcon.PLUS.create(), click -> openDialog(null));
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout toolbar = new HorizontalLayout(search, add);
        toolbar.setWidthFull();
        toolbar.expand(search);
        return toolbar;
    }

    private Grid<Member> grid() {
        Map<Long, String> workspaceNames = workspaces.allWorkspaces().stream()
                .collect(Collectors.toMap(Workspace::id, Workspace::name));
        grid.addColumn(Member::getName).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(Member::getEmail).setHeader("Email").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(m -> m.getRole().label()).setKey("role").setHeader("Role").setAutoWidth(true);
        grid.addColumn(m -> workspacesOf(m, workspaceNames)).setHeader("Workspaces").setFlexGrow(1);
        grid.addColumn(this::status).setKey("status").setHeader("Status").setAutoWidth(true);
        grid.addColumn(m -> m.getLastLoginAt() == null ? "Never" : TIME.format(m.getLastLoginAt()))
                .setHeader("Last login").setAutoWidth(true);
        grid.setItems(query -> team.page(search.getValue(), query.getOffset(), query.getLimit()).stream(),
                query -> team.count(search.getValue()));
        grid.addItemClickListener(click -> openDialog(click.getItem()));
        grid.setSizeFull();
        return grid;
    }

    private String status(Member member) {
        if (!member.isActive()) {
            return "Deactivated";
        }
        if (member.isLockedAt(clock.instant())) {
            return "Locked until " + TIME.format(member.getLockedUntil());
        }
        return member.isMustChangePassword() ? "Active · temporary password" : "Active";
    }

    private static String workspacesOf(Member member, Map<Long, String> names) {
        if (member.getRole().seesAllWorkspaces() || member.isAllWorkspaces()) {
            return "All";
        }
        return member.workspaceIds().stream().map(id -> names.getOrDefault(id, "#" + id)).sorted()
                .collect(Collectors.joining(", "));
    }

    private void openDialog(Member member) {
        Member fresh = member == null ? null : team.member(member.getId());
        new MemberDialog(team, workspaces.allWorkspaces(), fresh, grid.getDataProvider()::refreshAll).open();
    }
}
