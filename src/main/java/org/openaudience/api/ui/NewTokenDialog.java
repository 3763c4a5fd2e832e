package org.openaudience.api.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import java.util.Map;
import java.util.function.BiConsumer;
import org.openaudience.api.ApiTokens;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.FieldErrors;

/** Name and lifetime of a new API token; the caller creates it, and the service's refusals show at the field. */
class NewTokenDialog extends Dialog {

    final TextField name = new TextField("Name");
    final Select<TokenExpiry> expiry = new Select<>();
    final Button create = new Button("Create token");

    NewTokenDialog(BiConsumer<String, TokenExpiry> onCreate) {
        setHeaderTitle("New API token");
        name.setId("api-token-name");
        name.setRequiredIndicatorVisible(true);
        name.setPlaceholder("e.g. Nightly audience sync");
        name.setHelperText("What will use it, so you know which to revoke later (at most "
                + ApiTokens.MAX_NAME_LENGTH + " characters).");
        expiry.setId("api-token-expiry");
        expiry.setLabel("Expires after");
        expiry.setItems(TokenExpiry.values());
        expiry.setItemLabelGenerator(TokenExpiry::label);
        expiry.setValue(TokenExpiry.DEFAULT);
        expiry.setHelperText("An expired token is refused; create a new one then.");
        FormLayout form = new FormLayout(name, expiry);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        add(form);
        create.setId("api-token-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickListener(click -> {
            FieldErrors.clear(fields());
            try {
                onCreate.accept(name.getValue(), expiry.getValue() == null ? TokenExpiry.DEFAULT : expiry.getValue());
                close();
            } catch (InvalidRequestException e) {
                FieldErrors.show(e, fields());
            }
        });
        getFooter().add(new Button("Cancel", click -> close()), create);
        setWidth("30em");
    }

    private Map<String, HasValidation> fields() {
        return Map.of("name", name, "expiresAt", expiry);
    }
}
