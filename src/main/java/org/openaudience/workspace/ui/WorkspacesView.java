package org.openaudience.workspace.ui;

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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.openaudience.base.ui.Notifications;
import org.openaudience.security.Role;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/** Settings › Workspaces: create, rename and delete workspaces. */
@Route("settings/workspaces")
@PageTitle("Workspaces")
@Menu(order = 20, title = "Workspaces", icon = "vaadin:folder-open")
@RolesAllowed({Role.Names.ADMIN, Role.Names.SUPPORT})
@AccessDeniedErrorRouter
public class WorkspacesView extends VerticalLayout {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final WorkspaceService workspaces;
    final TextField search = new TextField();
    final Grid<Workspace> grid = new Grid<>(Workspace.class, false);

    public WorkspacesView(WorkspaceService workspaces) {
        this.workspaces = workspaces;
        addClassName("workspaces-view");
        setSizeFull();
        add(toolbar(), grid());
    }

    private HorizontalLayout toolbar() {
        search.setPlaceholder("Search by name");
        search.setAriaLabel("Search workspaces");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setClearButtonVisible(true);
        search.addValueChangeListener(e -> grid.getDataProvider().refreshAll());
        Button create = new Button("New workspace", VaadinIcon.PLUS.create(), click -> openCreateDialog());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout toolbar = new HorizontalLayout(search, create);
        toolbar.setWidthFull();
        toolbar.expand(search);
        return toolbar;
    }

    private Grid<Workspace> grid() {
        grid.addColumn(Workspace::name).setHeader("Name").setFlexGrow(2);
        grid.addColumn(Workspace::id).setHeader("ID").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(w -> TIME.format(w.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setKey("actions").setHeader("Actions").setAutoWidth(true).setFlexGrow(0);
        grid.setItems(query -> workspaces.page(search.getValue(), query.getOffset(), query.getLimit()).stream(),
                query -> workspaces.count(search.getValue()));
        grid.setSizeFull();
        return grid;
    }

    private HorizontalLayout actions(Workspace workspace) {
        Button rename = new Button("Rename", click -> openRenameDialog(workspace));
        rename.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        rename.setAriaLabel("Rename " + workspace.name());
        Button delete = new Button("Delete", click -> new DeleteWorkspaceDialog(workspace, () -> {
            workspaces.deleteWorkspace(workspace.id(), workspace.name());
            Notifications.success("Deleted workspace " + workspace.name());
            refreshEverywhere();
        }).open());
        delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        delete.setAriaLabel("Delete " + workspace.name());
        return new HorizontalLayout(rename, delete);
    }

    private void openCreateDialog() {
        new WorkspaceNameDialog("New workspace", "", "Create", name -> {
            Workspace created = workspaces.createWorkspace(name);
            Notifications.success("Created workspace " + created.name());
            refreshEverywhere();
        }).open();
    }

    private void openRenameDialog(Workspace workspace) {
        new WorkspaceNameDialog("Rename " + workspace.name(), workspace.name(), "Rename", name -> {
            workspaces.renameWorkspace(workspace.id(), name);
            Notifications.success("Renamed to " + name.trim());
            refreshEverywhere();
        }).open();
    }

    /** The grid and the header's switcher both list workspaces. */
    private void refreshEverywhere() {
        grid.getDataProvider().refreshAll();
        getUI().ifPresent(WorkspacesChanged::fire);
    }
}
