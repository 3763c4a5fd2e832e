package org.openaudience.livestream.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Pre;
import org.openaudience.base.ui.Clipboard;

/** The event as received, pretty-printed and selectable, with a copy button. */
class RawJsonDialog extends Dialog {

    final Pre json = new Pre();

    RawJsonDialog(String prettyJson) {
        setHeaderTitle("Raw JSON");
        setWidth("40em");
        json.setText(prettyJson);
        json.addClassName("raw-json");
        add(json);
        Button copy = new Button("Copy", click -> Clipboard.copy(prettyJson, click.getSource(), () -> { }));
        copy.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Button close = new Button("Close", click -> close());
        close.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(copy, close);
    }
}
