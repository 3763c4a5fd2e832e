package org.openaudience.input.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
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
import org.openaudience.base.ui.Notifications;
import org.openaudience.input.Input;
import org.openaudience.input.InputCredentials;
import org.openaudience.input.InputService;
import org.openaudience.security.Role;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/** Setup › Inputs: the current workspace's event sources and their API credentials. */
@Route("setup/inputs")
@PageTitle("Inputs")
@Menu(order = 10, title = "Inputs", icon = "vaadin:input")
@RolesAllowed({Role.Names.ADMIN, Role.Names.SUPPORT})
@AccessDeniedErrorRouter
public class InputsView extends VerticalLayout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final InputService inputs;
    final Grid<Input> grid = new Grid<>(Input.class, false);

    public InputsView(InputService inputs, WorkspaceService workspaces) {
        this.inputs = inputs;
        addClassName("inputs-view");
        setSizeFull();
        workspaces.currentWorkspace().ifPresentOrElse(
                workspace -> add(toolbar(workspace), grid(workspace)),
                () -> add(new Paragraph("There is no workspace yet. Create one in Settings › Workspaces.")));
    }

    private HorizontalLayout toolbar(Workspace workspace) {
        Span intro = new Span("Event sources of " + workspace.name()
                + ". Each sends to the Events API with its own key and secret.");
        Button add = new Button("Add input", VaadinIcon.PLUS.create(), click -> new AddInputDialog(
                (name, platform) -> {
                    InputCredentials created = inputs.addInput(workspace.id(), name, platform);
                    grid.getDataProvider().refreshAll();
                    new CredentialsDialog("Input " + name.trim() + " added", created).open();
                }).open());
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout toolbar = new HorizontalLayout(intro, add);
        toolbar.setWidthFull();
        toolbar.setAlignItems(Alignment.CENTER);
        toolbar.expand(intro);
        return toolbar;
    }

    private Grid<Input> grid(Workspace workspace) {
        grid.addColumn(Input::name).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(input -> input.platform().label()).setHeader("Platform / feed").setAutoWidth(true);
        grid.addColumn(Input::apiKey).setHeader("API key").setAutoWidth(true);
        grid.addColumn(input -> input.enabled() ? "Enabled" : "Disabled").setHeader("Status").setAutoWidth(true);
        grid.addColumn(input -> TIME.format(input.secretRotatedAt())).setHeader("Secret set").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setKey("actions").setHeader("Actions").setAutoWidth(true).setFlexGrow(0);
        grid.setItems(query -> inputs.page(workspace.id(), query.getOffset(), query.getLimit()).stream(),
                query -> inputs.count(workspace.id()));
        grid.setSizeFull();
        return grid;
    }

    private Component actions(Input input) {
        Button rotate = new Button("Rotate secret", click -> confirmRotation(input));
        rotate.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        rotate.setAriaLabel("Rotate secret of " + input.name());
        Button toggle = new Button(input.enabled() ? "Disable" : "Enable", click -> {
            inputs.setEnabled(input.id(), !input.enabled());
            Notifications.success((input.enabled() ? "Disabled " : "Enabled ") + input.name());
            grid.getDataProvider().refreshAll();
        });
        toggle.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        toggle.setAriaLabel((input.enabled() ? "Disable " : "Enable ") + input.name());
        return new HorizontalLayout(rotate, toggle);
    }

    private void confirmRotation(Input input) {
        ConfirmDialog confirm = new ConfirmDialog("Rotate the secret of " + input.name() + "?",
                "Clients still using the current secret are refused from now on.",
                "Rotate secret", event -> {
                    InputCredentials rotated = inputs.rotateSecret(input.id());
                    grid.getDataProvider().refreshAll();
                    new CredentialsDialog("New secret for " + input.name(), rotated).open();
                });
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }
}
