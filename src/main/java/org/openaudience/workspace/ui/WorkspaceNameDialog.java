package org.openaudience.workspace.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.textfield.TextField;
import java.util.Map;
import java.util.function.Consumer;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.FieldErrors;
import org.openaudience.workspace.Workspace;

/** Asks for a workspace name, for both creating and renaming; the caller's action may refuse it. */
class WorkspaceNameDialog extends Dialog {

    final TextField name = new TextField("Workspace name");

    WorkspaceNameDialog(String title, String initialName, String actionLabel, Consumer<String> action) {
        setHeaderTitle(title);
        name.setValue(initialName);
        name.setRequiredIndicatorVisible(true);
        name.setMaxLength(Workspace.MAX_NAME_LENGTH);
        name.setWidthFull();
        add(name);
        Button confirm = new Button(actionLabel, click -> {
            try {
                action.accept(name.getValue());
                close();
            } catch (InvalidRequestException e) {
                FieldErrors.show(e, Map.of("name", name));
            }
        });
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", click -> close()), confirm);
        name.focus();
    }
}
