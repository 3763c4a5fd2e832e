package org.openaudience.audience.ui;

import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceDefinitions;
import org.openaudience.audience.AudienceStatus;
import org.openaudience.audience.DefinitionVersion;
import org.openaudience.base.ConflictException;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.ui.Notifications;

/**
 * The Details tab's saves of a new definition version, through {@link AudienceDefinitions} as the REST API saves
 * them (from the version the page shows; refused when someone saved a newer one meanwhile): other inputs with the
 * same criteria, or an earlier version restored as the newest. An active audience recalculates, after the question
 * the editor asks.
 */
class DefinitionSaves {

    /** What the audience page does with a saved version: show it, and the editor too when asked to. */
    interface Saved {
        void saved(Audience audience, boolean intoTheEditor);
    }

    private final AudienceDefinitions definitions;
    private final Supplier<Audience> audience;
    private final BooleanSupplier unsavedEdits;
    private final Saved saved;

    /**
     * @param audience     the audience as the page shows it (its definition version is the one changed)
     * @param unsavedEdits whether the editor has edits a restore would replace
     */
    DefinitionSaves(AudienceDefinitions definitions, Supplier<Audience> audience, BooleanSupplier unsavedEdits,
                    Saved saved) {
        this.definitions = definitions;
        this.audience = audience;
        this.unsavedEdits = unsavedEdits;
        this.saved = saved;
    }

    /**
     * Saves the same criteria with these inputs (empty: all inputs); the editor keeps its unsaved edits.
     *
     * @param refused shows why the inputs were refused (on the field)
     */
    void changeInputs(Set<Long> inputIds, Consumer<String> refused) {
        Audience current = audience.get();
        Runnable store = () -> {
            try {
                Audience result = definitions.replaceInputs(current.id(), current.definitionVersion(), inputIds);
                Notifications.success("Saved the inputs of " + result.name() + " as version "
                        + result.definitionVersion() + (recalculates(result) ? "; recalculating" : ""));
                saved.saved(result, false);
            } catch (ConflictException conflict) {
                Notifications.error(conflicted(conflict));
            } catch (InvalidRequestException refusal) {
                refused.accept(refusal.getMessage());
                Notifications.error("The inputs were not saved: " + refusal.getMessage());
            }
        };
        if (recalculates(current)) {
            RecalculateConfirmation.open(current.name(), "The audience recalculates with the new inputs.", store);
        } else {
            store.run();
        }
    }

    /**
     * Saves an earlier version's criteria and inputs as the newest version, after a question: for an active audience
     * the editor's (it recalculates); for a draft or an inactive one, whether to restore. Unsaved edits in the editor
     * are replaced by the restored definition; the question says so.
     */
    void restore(DefinitionVersion version) {
        Audience current = audience.get();
        int next = current.definitionVersion() + 1;
        String what = "Version " + version.version() + "'s criteria and inputs are saved as version " + next
                + ", the newest; the versions between stay in the history."
                + (unsavedEdits.getAsBoolean() ? " Your unsaved edits on the Build tab are replaced." : "");
        Runnable store = () -> {
            try {
                Audience result = definitions.update(current.id(), current.definitionVersion(),
                        version.definition());
                Notifications.success("Restored version " + version.version() + " of " + result.name() + " as "
                        + "version " + result.definitionVersion() + (recalculates(result) ? "; recalculating" : ""));
                saved.saved(result, true);
            } catch (ConflictException conflict) {
                Notifications.error(conflicted(conflict));
            } catch (InvalidRequestException refusal) {
                Notifications.error("Version " + version.version() + " cannot be restored: "
                        + refusal.getMessage());
            }
        };
        if (recalculates(current)) {
            RecalculateConfirmation.open(current.name(), what + " The audience recalculates with it.", store);
            return;
        }
        ConfirmDialog confirm = new ConfirmDialog("Restore version " + version.version() + "?", what, "Restore",
                event -> store.run());
        confirm.setCancelable(true);
        confirm.open();
    }

    private static boolean recalculates(Audience audience) {
        return audience.status() == AudienceStatus.ACTIVE;
    }

    private static String conflicted(ConflictException conflict) {
        return "Someone saved version " + conflict.current().get("current_definition_version") + " of the "
                + "definition meanwhile, so nothing was saved. Reload the page to see it, then try again.";
    }
}
