package org.openaudience.shell.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/** The start page: who you are signed in as, what your role lets you do, and the workspaces you can use. */
@Route("")
@PageTitle("Home")
@Menu(order = 0, title = "Home", icon = "vaadin:home")
@PermitAll
public class HomeView extends VerticalLayout {

    public HomeView(TeamService team, WorkspaceService workspaces) {
        addClassName("home-view");
        Member member = team.currentMember();
        add(new H2("Welcome, " + member.getName()),
                new Paragraph("You are signed in as " + member.getEmail() + " with the role "
                        + member.getRole().label() + ": " + member.getRole().description()),
                workspaceSection(workspaces));
    }

    private VerticalLayout workspaceSection(WorkspaceService workspaces) {
        VerticalLayout section = new VerticalLayout();
        section.setPadding(false);
        var accessible = workspaces.accessibleWorkspaces();
        if (accessible.isEmpty()) {
            section.add(new Paragraph("You have no workspace yet. An Admin can create one in Settings › Workspaces "
                    + "or give you access to one in Settings › Team."));
            return section;
        }
        String current = workspaces.currentWorkspace().map(Workspace::name).orElse("");
        section.add(new Paragraph("You are working in " + current + ". Switch workspace in the header."));
        UnorderedList list = new UnorderedList();
        accessible.forEach(workspace -> list.add(new ListItem(workspace.name())));
        section.add(new Paragraph("Workspaces you can use:"), list);
        return section;
    }
}
