package org.openaudience.input.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import org.openaudience.base.ui.Clipboard;
import org.openaudience.input.InputCredentials;

/** Shows an input's key and secret right after creation or rotation — the only time the secret is visible. */
class CredentialsDialog extends Dialog {

    final TextField apiKey = readOnly("API key");
    final TextField secret = readOnly("API secret");

    CredentialsDialog(String title, InputCredentials credentials) {
        setHeaderTitle(title);
        setCloseOnOutsideClick(false);
        setWidth("44em");
        apiKey.setId("credentials-key");
        secret.setId("credentials-secret");
        apiKey.setValue(credentials.apiKey());
        secret.setValue(credentials.secret());
        Paragraph warning = new Paragraph("Copy the secret now: it is stored only as a hash and cannot be shown "
                + "again. If it is lost, rotate it.");
        warning.addClassName("credentials-warning");
        add(new VerticalLayout(warning, withCopy(apiKey), withCopy(secret)));
        Button done = new Button("I have copied the secret", click -> close());
        done.setId("credentials-done");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(done);
    }

    private static TextField readOnly(String label) {
        TextField field = new TextField(label);
        field.setReadOnly(true);
        field.setWidthFull();
        return field;
    }

    private static HorizontalLayout withCopy(TextField field) {
        Button copy = new Button(VaadinIcon.COPY.create(),
                click -> Clipboard.copy(field.getValue(), click.getSource(), () -> {
                    field.focus();
                    field.getElement().executeJs("this.inputElement.select()");
                }));
        copy.setAriaLabel("Copy " + field.getLabel());
        copy.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout row = new HorizontalLayout(field, copy);
        row.setWidthFull();
        row.setAlignItems(HorizontalLayout.Alignment.BASELINE);
        row.expand(field);
        return row;
    }
}
