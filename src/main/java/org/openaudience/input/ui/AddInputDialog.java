package org.openaudience.input.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import java.util.Map;
import java.util.function.BiConsumer;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.FieldErrors;
import org.openaudience.input.Input;
import org.openaudience.input.Platform;

/** Name and platform (or feed) of a new input; the caller creates it and may refuse the values. */
class AddInputDialog extends Dialog {

    final TextField name = new TextField("Name");
    final Select<Platform> platform = new Select<>();
    final Button add = new Button("Add input");

    AddInputDialog(BiConsumer<String, Platform> onAdd) {
        setHeaderTitle("Add input");
        name.setRequiredIndicatorVisible(true);
        name.setMaxLength(Input.MAX_NAME_LENGTH);
        name.setPlaceholder("e.g. Travel app iOS");
        name.setId("input-name");
        platform.setId("input-platform");
        add.setId("add-input-confirm");
        platform.setLabel("Platform or feed");
        platform.setItems(Platform.values());
        platform.setItemLabelGenerator(Platform::label);
        platform.setRequiredIndicatorVisible(true);
        platform.setHelperText("Events sent with this input's key default to this platform.");
        FormLayout form = new FormLayout(name, platform);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        add(form);
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add.addClickListener(click -> {
            FieldErrors.clear(fields());
            try {
                onAdd.accept(name.getValue(), platform.getValue());
                close();
            } catch (InvalidRequestException e) {
                FieldErrors.show(e, fields());
            }
        });
        getFooter().add(new Button("Cancel", click -> close()), add);
    }

    private Map<String, com.vaadin.flow.component.HasValidation> fields() {
        return Map.of("name", name, "platform", platform);
    }
}
