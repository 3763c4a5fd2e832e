package org.openaudience.audience.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.router.BeforeLeaveEvent;
import java.util.function.BooleanSupplier;

/**
 * Unsaved criteria edits are never lost silently. Leaving the page inside the app (menu, another audience, browser
 * back) is postponed with a dialog: Stay, Discard changes, or save them. Leaving the app (reload, closing the tab,
 * typing another address) can only get the browser's own "Leave site?" question, so a {@code beforeunload} listener
 * is armed while there are unsaved edits and disarmed once there are none.
 */
final class LeaveGuard {

    /** One listener per tab; it reads the flag each time, so arming is a flag change. */
    private static final String ARM = """
            window.openAudienceUnsaved = $0;
            if (!window.openAudienceLeaveGuard) {
                window.openAudienceLeaveGuard = event => {
                    if (window.openAudienceUnsaved) {
                        event.preventDefault();
                        event.returnValue = '';
                    }
                };
                window.addEventListener('beforeunload', window.openAudienceLeaveGuard);
            }""";

    /** What the browser was last told; null before the first call. */
    private Boolean armed;
    ConfirmDialog dialog;

    /** Tells the browser whether leaving the app should ask (only when that changed). */
    void arm(boolean unsaved) {
        if (Boolean.valueOf(unsaved).equals(armed)) {
            return;
        }
        armed = unsaved;
        UI ui = UI.getCurrent();
        if (ui != null) {
            ui.getPage().executeJs(ARM, unsaved);
        }
    }

    /**
     * Postpones the navigation and asks. {@code save} saves the edits (false when refused: the page then shows why
     * and stays); {@code discard} forgets them. With a criterion form still open only Stay and Discard are offered:
     * the open criterion is not finished, so it cannot be saved.
     *
     * @param active an active audience: saving recalculates, which this dialog says (it is the confirmation)
     */
    void ask(BeforeLeaveEvent event, String audienceName, boolean active, boolean formOpen, BooleanSupplier save,
             Runnable discard) {
        BeforeLeaveEvent.ContinueNavigationAction navigation = event.postpone();
        String text;
        if (formOpen) {
            text = "A criterion is still open. Finish it with Done (or Cancel it), then save, or discard your edits.";
        } else if (active) {
            text = "Saving recalculates " + audienceName + " with the edited criteria; outputs and downloads keep the"
                    + " current members until the new calculation is complete.";
        } else {
            text = "Save them as a draft (nothing is activated), discard them, or stay on this page.";
        }
        String title = "Leave without saving your edits to " + audienceName + "?";
        // staying cancels the navigation (not just leaves it pending): the browser's address and router go back to
        // this page, so the same link works next time
        if (formOpen) { // Stay is the main answer; the open criterion cannot be saved
            dialog = new ConfirmDialog(title, text, "Stay", stay -> navigation.cancel());
        } else {
            dialog = new ConfirmDialog(title, text, active ? "Save and recalculate" : "Save as draft", confirmed -> {
                if (save.getAsBoolean()) {
                    arm(false);
                    navigation.proceed();
                } else {
                    navigation.cancel(); // refused: the page says why
                }
            });
            dialog.setCancelable(true);
            dialog.setCancelText("Stay");
        }
        dialog.addCancelListener(stay -> navigation.cancel()); // Stay, or Esc
        dialog.setRejectable(true);
        dialog.setRejectText("Discard changes");
        dialog.setRejectButtonTheme("error tertiary");
        dialog.addRejectListener(rejected -> {
            discard.run();
            arm(false);
            navigation.proceed();
        });
        dialog.open();
    }
}
