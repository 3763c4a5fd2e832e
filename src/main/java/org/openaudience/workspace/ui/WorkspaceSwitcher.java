package org.openaudience.workspace.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.component.combobox.ComboBox;
import org.openaudience.workspace.Workspace;
import org.openaudience.workspace.WorkspaceService;

/** Header combo box that changes the member's current workspace and reloads the page for it. */
public class WorkspaceSwitcher extends ComboBox<Workspace> {

    private final WorkspaceService workspaces;

    public WorkspaceSwitcher(WorkspaceService workspaces) {
        this.workspaces = workspaces;
        addClassName("workspace-switcher");
        setId("workspace-switcher");
        setAriaLabel("Workspace");
        setPlaceholder("No workspace");
        setItemLabelGenerator(Workspace::name);
        addValueChangeListener(event -> {
            if (event.isFromClient() && event.getValue() != null) {
                workspaces.switchTo(event.getValue().id());
                UI.getCurrent().refreshCurrentRoute(false);
            }
        });
    }

    /** Re-read on every attach so workspaces created or deleted meanwhile show up. */
    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        refresh();
        Registration registration = ComponentUtil.addListener(attachEvent.getUI(), WorkspacesChanged.class,
                changed -> refresh());
        addDetachListener(detach -> {
            registration.remove();
            detach.unregisterListener();
        });
    }

    public void refresh() {
        setItems(workspaces.accessibleWorkspaces());
        setValue(workspaces.currentWorkspace().orElse(null));
    }
}
