package org.openaudience.output.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.Notifications;
import org.openaudience.output.Output;
import org.openaudience.output.OutputKind;
import org.openaudience.output.OutputService;
import org.openaudience.output.OutputTester;
import org.openaudience.security.Role;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/** Setup › Outputs: the current workspace's webhooks and CSV file drops that audiences can be connected to. */
@Route("setup/outputs")
@PageTitle("Outputs")
@Menu(order = 11, title = "Outputs", icon = "vaadin:cloud-upload-o")
@RolesAllowed({Role.Names.ADMIN, Role.Names.SUPPORT, Role.Names.USER})
@AccessDeniedErrorRouter
public class OutputsView extends VerticalLayout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final OutputService outputs;
    private final OutputTester tester;
    final Grid<Output> grid = new Grid<>(Output.class, false);

    public OutputsView(OutputService outputs, OutputTester tester, WorkspaceService workspaces) {
        this.outputs = outputs;
        this.tester = tester;
        addClassName("outputs-view");
        setSizeFull();
        workspaces.currentWorkspace().ifPresentOrElse(
                workspace -> add(toolbar(workspace), grid(workspace)),
                () -> add(new Paragraph("There is no workspace yet. Create one in Settings › Workspaces.")));
    }

    private HorizontalLayout toolbar(Workspace workspace) {
        Span intro = new Span("Where audiences of " + workspace.name()
                + " send their members: webhooks and CSV file drops. Connect audiences on their Connect tab.");
        Button add = new Button("Add output", VaadinIcon.PLUS.create(), click -> openAddDialog(workspace));
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout toolbar = new HorizontalLayout(intro, add);
        toolbar.setWidthFull();
        toolbar.setAlignItems(Alignment.CENTER);
        toolbar.expand(intro);
        return toolbar;
    }

    private Grid<Output> grid(Workspace workspace) {
        // fixed widths that fit a 1280 px screen with the menu open; long URLs wrap
        grid.addColumn(Output::name).setHeader("Name").setWidth("9rem").setFlexGrow(1);
        grid.addColumn(output -> output.kind().label()).setHeader("Kind").setWidth("7rem").setFlexGrow(0);
        grid.addColumn(Output::destination).setHeader("Destination").setWidth("10rem").setFlexGrow(2);
        grid.addColumn(Output::batchSize).setHeader("Batch size").setWidth("6rem").setFlexGrow(0);
        grid.addColumn(output -> output.maxAttempts() + " attempts").setHeader("Fault after").setWidth("7rem")
                .setFlexGrow(0);
        grid.addColumn(output -> TIME.format(output.updatedAt()) + " by " + output.updatedBy())
                .setHeader("Last changed").setWidth("9rem").setFlexGrow(1);
        grid.addComponentColumn(this::actions).setKey("actions").setHeader("Actions").setWidth("12rem")
                .setFlexGrow(0);
        grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.setItems(query -> outputs.page(workspace.id(), query.getOffset(), query.getLimit()).stream(),
                query -> outputs.count(workspace.id()));
        grid.setSizeFull();
        return grid;
    }

    private Component actions(Output output) {
        Button edit = new Button("Edit", click -> openEditDialog(output));
        edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        edit.setAriaLabel("Edit " + output.name());
        Button delete = new Button("Delete", click -> confirmDeletion(output));
        delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        delete.setAriaLabel("Delete " + output.name());
        Button test = new Button("Test", click -> test(output));
        test.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        test.setAriaLabel("Test " + output.name());
        return new HorizontalLayout(test, edit, delete);
    }

    private void test(Output output) {
        try {
            Notifications.success(output.name() + ": " + tester.test(output.id()));
        } catch (InvalidRequestException refused) {
            Notifications.error(output.name() + ": " + refused.getMessage());
        }
    }

    private void openAddDialog(Workspace workspace) {
        new OutputDialog(null, outputs.fileDropFolder(workspace.id()), settings -> {
            Output created = outputs.createOutput(workspace.id(), settings);
            grid.getDataProvider().refreshAll();
            Notifications.success("Added output " + created.name());
            boolean generated = settings.secret() == null || settings.secret().isBlank();
            if (created.kind() == OutputKind.WEBHOOK && generated) {
                new SecretDialog(created).open();
            }
        }).open();
    }

    private void openEditDialog(Output output) {
        new OutputDialog(output, outputs.fileDropFolder(output.workspaceId()), settings -> {
            Output saved = outputs.updateOutput(output.id(), settings);
            grid.getDataProvider().refreshAll();
            Notifications.success("Saved output " + saved.name());
        }).open();
    }

    private void confirmDeletion(Output output) {
        java.util.List<String> connected = outputs.connectedAudiences(output.id());
        if (!connected.isEmpty()) { // say so before asking; the service checks again on delete
            Notifications.error("\"" + output.name() + "\" is connected to " + String.join(", ", connected)
                    + ". Disconnect those audiences first.");
            return;
        }
        ConfirmDialog confirm = new ConfirmDialog("Delete output " + output.name() + "?",
                "Audiences can no longer be connected to it.", "Delete", event -> delete(output));
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }

    /** The service refuses outputs that audiences are still connected to and names them; nothing changes then. */
    private void delete(Output output) {
        try {
            outputs.deleteOutput(output.id());
            Notifications.success("Deleted output " + output.name());
        } catch (InvalidRequestException e) {
            Notifications.error(e.getMessage());
        }
        grid.getDataProvider().refreshAll();
    }
}
