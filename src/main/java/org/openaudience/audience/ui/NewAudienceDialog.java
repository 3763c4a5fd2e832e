package org.openaudience.audience.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.TextField;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.input.InputSummary;

/**
 * New Audience (PRODUCT.md §3.2): Audience Name (required, unique), External Name (what outputs see; the name by
 * default) and the Inputs whose events count (all by default). The view creates it and opens its page.
 */
class NewAudienceDialog extends Dialog {

    /** Creates the audience; an {@link InvalidRequestException} is shown on its field. */
    interface CreateListener {
        void create(String name, String externalName, Set<Long> inputIds);
    }

    final TextField name = new TextField("Audience Name");
    final TextField externalName = new TextField("External Name");
    final CheckboxGroup<InputSummary> inputs = new CheckboxGroup<>("Inputs");
    final Button create = new Button("Create");

    NewAudienceDialog(List<InputSummary> workspaceInputs, CreateListener listener) {
        setHeaderTitle("New Audience");
        name.setRequiredIndicatorVisible(true);
        name.setMaxLength(100);
        name.setAutofocus(true);
        externalName.setMaxLength(100);
        externalName.setHelperText("What outputs see; the audience name if left empty");
        inputs.setItems(workspaceInputs);
        inputs.setItemLabelGenerator(input -> input.name() + " (" + input.platform().label() + ")");
        inputs.select(workspaceInputs);
        inputs.setHelperText("Events from these inputs count; all by default");
        FormLayout form = new FormLayout(name, externalName, inputs);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        add(form);
        setWidth("min(32em, 95vw)");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickListener(click -> {
            if (name.getValue().isBlank()) {
                name.setInvalid(true);
                name.setErrorMessage("Enter a name.");
                return;
            }
            if (inputs.getValue().isEmpty()) {
                inputs.setInvalid(true);
                inputs.setErrorMessage("Choose at least one input.");
                return;
            }
            // all inputs chosen is stored as "all", so inputs added later count too
            Set<Long> chosen = inputs.getValue().size() == workspaceInputs.size() ? Set.of()
                    : inputs.getValue().stream().map(InputSummary::id).collect(Collectors.toSet());
            try {
                listener.create(name.getValue(), externalName.getValue(), chosen);
                close();
            } catch (InvalidRequestException refused) {
                TextField field = "externalName".equals(refused.field()) ? externalName : name;
                field.setInvalid(true);
                field.setErrorMessage(refused.getMessage());
            }
        });
        Button cancel = new Button("Cancel", click -> close());
        getFooter().add(cancel, create);
    }
}
