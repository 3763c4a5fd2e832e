package org.openaudience.base.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;

/**
 * Copies text in the browser and tells the truth about it: browsers refuse the clipboard on plain HTTP from
 * another host, and then the button asks the user to copy by hand.
 */
public final class Clipboard {

    private Clipboard() {
    }

    public static void copy(String text, Button button, Runnable onFailure) {
        UI.getCurrent().getPage().executeJs("""
                        if (!navigator.clipboard) { return false; }
                        return navigator.clipboard.writeText($0).then(() => true, () => false);""", text)
                .then(Boolean.class, copied -> {
                    if (Boolean.TRUE.equals(copied)) {
                        button.setText("Copied");
                    } else {
                        button.setText("Copy failed — select and copy by hand");
                        onFailure.run();
                    }
                });
    }
}
