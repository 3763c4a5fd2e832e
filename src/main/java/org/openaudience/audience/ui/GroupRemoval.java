package org.openaudience.audience.ui;

import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import org.openaudience.base.ui.Counts;

/** Removing a group from the criteria tree: one that holds criteria asks first; an empty one goes at once. */
final class GroupRemoval {

    private GroupRemoval() {
    }

    static void ask(String path, EditableGroup group, Runnable remove) {
        long criteria = criteria(group);
        if (criteria == 0) {
            remove.run(); // nothing is lost
            return;
        }
        ConfirmDialog confirm = new ConfirmDialog("Remove group " + path + " and its "
                + Counts.of(criteria, "criterion", "criteria") + "?", "Nothing is saved until you save the audience.",
                "Remove group", event -> remove.run());
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }

    /** Criteria in the group and the groups inside it. */
    static long criteria(EditableGroup group) {
        return group.entries.stream().mapToLong(entry -> entry instanceof EditableGroup inner ? criteria(inner) : 1)
                .sum();
    }
}
