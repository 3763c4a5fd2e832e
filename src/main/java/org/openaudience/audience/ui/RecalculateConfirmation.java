package org.openaudience.audience.ui;

import com.vaadin.flow.component.confirmdialog.ConfirmDialog;

/**
 * The question every save of a new definition version of an active audience asks first (the editor's criteria, the
 * Details tab's inputs, a restored version): it recalculates, and outputs keep the current members meanwhile.
 */
final class RecalculateConfirmation {

    static final String CONFIRM = "Save and recalculate";

    private RecalculateConfirmation() {
    }

    /**
     * @param change what is saved, as a sentence, e.g. "The audience recalculates with the new criteria."
     */
    static ConfirmDialog open(String audienceName, String change, Runnable onConfirm) {
        ConfirmDialog confirm = new ConfirmDialog("Recalculate " + audienceName + "?", change + " Outputs and "
                + "downloads keep the current members until the new calculation is complete.", CONFIRM,
                event -> onConfirm.run());
        confirm.setCancelable(true);
        confirm.open();
        return confirm;
    }
}
