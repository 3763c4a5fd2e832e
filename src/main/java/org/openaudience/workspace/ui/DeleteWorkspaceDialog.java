package org.openaudience.workspace.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import org.openaudience.workspace.Workspace;

/** Deleting removes all of a workspace's data, so the member must type its name first. */
class DeleteWorkspaceDialog extends Dialog {

    final TextField confirmation = new TextField("Type the workspace name to confirm");
    final Button delete = new Button("Delete workspace");

    DeleteWorkspaceDialog(Workspace workspace, Runnable onDelete) {
        setHeaderTitle("Delete " + workspace.name() + "?");
        add(new Paragraph("This removes the workspace and all of its data — inputs, profiles, events, audiences "
                + "and outputs. It cannot be undone."));
        confirmation.setPlaceholder(workspace.name());
        confirmation.setValueChangeMode(ValueChangeMode.EAGER);
        confirmation.setWidthFull();
        confirmation.addValueChangeListener(e -> delete.setEnabled(workspace.name().equals(e.getValue().trim())));
        add(confirmation);
        delete.setEnabled(false);
        delete.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        delete.addClickListener(click -> {
            onDelete.run();
            close();
        });
        getFooter().add(new Button("Cancel", click -> close()), delete);
    }
}
