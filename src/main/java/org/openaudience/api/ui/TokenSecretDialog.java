package org.openaudience.api.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.textfield.TextFieldBase;
import org.openaudience.api.NewApiToken;
import org.openaudience.base.ui.Clipboard;

/**
 * A new token's secret, right after creation: the only time it exists outside the member's hands (the server keeps
 * its hash). With a curl line that uses it, so the first request is a paste away.
 */
class TokenSecretDialog extends Dialog {

    final TextField secret = new TextField("Token");
    final TextArea example = new TextArea("Try it");

    TokenSecretDialog(NewApiToken created, String exampleCommand) {
        setHeaderTitle("Token " + created.token().name() + " created");
        setCloseOnOutsideClick(false);
        setWidth("48em");
        secret.setId("api-token-secret");
        secret.setReadOnly(true);
        secret.setWidthFull();
        secret.setValue(created.secret());
        example.setId("api-token-example");
        example.setReadOnly(true);
        example.setWidthFull();
        example.setValue(exampleCommand);
        example.addClassName("api-token-example");
        Paragraph warning = new Paragraph("Copy the token now: you will not see it again. It is stored only as a "
                + "hash; if it is lost, revoke it and create a new one. Anyone who has it can act as you.");
        warning.addClassName("credentials-warning");
        add(new VerticalLayout(warning, withCopy(secret), withCopy(example)));
        Button done = new Button("I have copied the token", click -> close());
        done.setId("api-token-done");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(done);
    }

    private static HorizontalLayout withCopy(TextFieldBase<?, String> field) {
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
