package org.openaudience.output.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import org.openaudience.base.ui.Clipboard;
import org.openaudience.output.MembershipMessages;
import org.openaudience.output.Output;

/** Shows a generated webhook secret once, so it can be given to the receiver that checks the signature. */
class SecretDialog extends Dialog {

    final TextField secret = new TextField("HMAC secret");

    SecretDialog(Output output) {
        setHeaderTitle("Secret of " + output.name());
        secret.setValue(output.secret());
        secret.setReadOnly(true);
        secret.setWidthFull();
        Button copy = new Button("Copy");
        copy.addClickListener(click -> Clipboard.copy(output.secret(), copy, secret::focus));
        Button done = new Button("Done", click -> close());
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(new Paragraph("The receiver checks each request's " + MembershipMessages.SIGNATURE_HEADER
                + " header (the hex HMAC-SHA256 of the body) with this secret. It is not shown again; to replace"
                + " it, edit the output and enter a new one."), secret);
        getFooter().add(copy, done);
        setWidth("32rem");
    }
}
