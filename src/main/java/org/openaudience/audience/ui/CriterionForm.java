package org.openaudience.audience.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.util.Optional;
import java.util.function.Consumer;
import org.openaudience.criteria.Node;

/** An open criterion being added or edited: its fields, then Done (a valid criterion) or Cancel. */
abstract class CriterionForm extends VerticalLayout {

    final Button done = new Button("Done");
    final Button cancel = new Button("Cancel");

    CriterionForm(String title, Consumer<Node> onDone, Runnable onCancel) {
        addClassName("criterion-form");
        setPadding(true);
        setSpacing(false);
        add(new H4(title));
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        done.addClickListener(click -> read().ifPresent(onDone));
        cancel.addClickListener(click -> onCancel.run());
    }

    /** Adds Done and Cancel below the fields; subclasses call it last. */
    void addButtons() {
        add(new HorizontalLayout(done, cancel));
    }

    /** The criterion, or empty after marking what is missing. */
    abstract Optional<Node> read();

    /** Puts the keyboard focus on the form's first field. */
    abstract void focusFirst();

    /** Shows a problem the service found in a field of this criterion. */
    abstract void showProblem(String field, String message);
}
