package org.openaudience.workspace.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;

/** Fired on the UI when workspaces were created, renamed or deleted, so the header switcher re-reads them. */
public class WorkspacesChanged extends ComponentEvent<UI> {

    public WorkspacesChanged(UI ui) {
        super(ui, false);
    }

    public static void fire(UI ui) {
        ComponentUtil.fireEvent(ui, new WorkspacesChanged(ui));
    }
}
