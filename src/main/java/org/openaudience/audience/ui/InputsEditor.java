package org.openaudience.audience.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.openaudience.input.InputSummary;

/**
 * The Details tab's inputs: whose events count for the audience. As in New Audience, at least one is chosen and all
 * of them are saved as "all" (so inputs added later count too). Saving makes a new definition version.
 */
class InputsEditor extends HorizontalLayout {

    /** Saves the chosen inputs (empty: all) or passes the reason they were refused back to the field. */
    interface SaveListener {
        void save(Set<Long> inputIds, Consumer<String> refused);
    }

    final MultiSelectComboBox<InputSummary> inputs = new MultiSelectComboBox<>("Inputs");
    final Button save = new Button("Save inputs");
    private List<InputSummary> workspaceInputs = List.of();
    private Set<Long> shownIds = Set.of();

    /** @param onSave gets the chosen input ids, empty meaning all inputs; called only for a changed choice */
    InputsEditor(boolean mayEdit, SaveListener onSave) {
        inputs.setItemLabelGenerator(input -> input.name() + " (" + input.platform().label() + ")");
        inputs.setHelperText("Events from these inputs count; all chosen means every input, also those added later");
        inputs.setWidth("32rem");
        inputs.setReadOnly(!mayEdit);
        inputs.addValueChangeListener(change -> inputs.setInvalid(false));
        save.setVisible(mayEdit);
        save.addClickListener(click -> {
            Set<Long> chosen = inputs.getValue().stream().map(InputSummary::id).collect(Collectors.toSet());
            if (chosen.isEmpty()) {
                refuse("Choose at least one input; choose them all for every input's events.");
                return;
            }
            if (chosen.equals(shownIds)) {
                refuse("These are the audience's inputs already; choose others to save a change.");
                return;
            }
            onSave.save(chosen.size() == workspaceInputs.size() ? Set.of() : chosen, this::refuse);
        });
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        setWrap(true);
        setPadding(false);
        add(inputs, save);
    }

    /** The workspace's inputs, those of the saved definition chosen (all when it counts every input). */
    void show(List<InputSummary> workspaceInputs, Set<Long> savedIds) {
        this.workspaceInputs = List.copyOf(workspaceInputs);
        Set<InputSummary> chosen = workspaceInputs.stream()
                .filter(input -> savedIds.isEmpty() || savedIds.contains(input.id())).collect(Collectors.toSet());
        shownIds = chosen.stream().map(InputSummary::id).collect(Collectors.toSet());
        inputs.setItems(workspaceInputs);
        inputs.setValue(chosen);
        inputs.setInvalid(false);
    }

    /** Shows why the choice was not saved, on the field. */
    void refuse(String reason) {
        inputs.setErrorMessage(reason);
        inputs.setInvalid(true);
    }
}
