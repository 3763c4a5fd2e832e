package org.openaudience.audience.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.openaudience.audience.Audience;
import org.openaudience.audience.AudienceHistory;
import org.openaudience.input.InputService;

/**
 * The Details tab: name, external name, description and tags (editable), the inputs (saved as a new definition
 * version), ids and who / when, the definition history with each version's changes and Restore, and the calculation
 * runs. The tab reads the runs again each time it is opened.
 */
class DetailsTab extends VerticalLayout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** Saves the edited details. */
    interface SaveListener {
        void save(String name, String externalName, String description, Set<String> tags);
    }

    final TextField name = new TextField("Audience Name");
    final TextField externalName = new TextField("External Name");
    final TextArea description = new TextArea("Description");
    final MultiSelectComboBox<String> tags = new MultiSelectComboBox<>("Tags");
    final Button save = new Button("Save details");
    final InputsEditor inputs;
    final VersionHistory history;
    final CalculationRuns runs;
    private final InputService inputService;
    private final Span ids = new Span();

    DetailsTab(boolean mayEdit, SaveListener listener, AudienceHistory audienceHistory, InputService inputService,
               DefinitionSaves saves) {
        this.inputService = inputService;
        inputs = new InputsEditor(mayEdit, saves::changeInputs);
        history = new VersionHistory(audienceHistory, mayEdit, saves::restore);
        runs = new CalculationRuns(audienceHistory);
        addAttachListener(attach -> runs.refresh());
        setPadding(false);
        description.setMaxLength(1000);
        tags.setAllowCustomValue(true);
        tags.setHelperText("Type a tag and press Enter; at most 18 characters each");
        tags.addCustomValueSetListener(custom -> {
            String tag = custom.getDetail().trim();
            if (tag.length() > 18) {
                tags.setInvalid(true);
                tags.setErrorMessage("\"" + tag + "\" is longer than 18 characters.");
                return;
            }
            Set<String> items = new TreeSet<>(tags.getListDataView().getItems().toList());
            items.add(tag);
            Set<String> chosen = new HashSet<>(tags.getValue());
            chosen.add(tag);
            tags.setItems(items);
            tags.setValue(chosen);
            tags.setInvalid(false);
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(click -> {
            tags.setInvalid(false);
            listener.save(name.getValue(), externalName.getValue(), description.getValue(), tags.getValue());
        });
        FormLayout form = new FormLayout(name, externalName, description, tags);
        form.setColspan(description, 2);
        for (var field : List.of(name, externalName, description)) {
            field.setReadOnly(!mayEdit);
        }
        tags.setReadOnly(!mayEdit);
        save.setVisible(mayEdit);
        add(form, save, inputs, ids, new H3("Definition history"), history, new H3("Calculation runs"), runs);
    }

    /** The audience's details, inputs, definition history and runs as saved now. */
    void show(Audience audience) {
        name.setValue(audience.name());
        externalName.setValue(audience.externalName());
        description.setValue(audience.description());
        tags.setItems(audience.tagNames());
        tags.setValue(audience.tagNames());
        inputs.show(inputService.inputsOf(audience.workspaceId()), audience.definition().inputIds());
        history.show(audience);
        runs.show(audience.id());
        ids.setText("Audience ID " + audience.id() + " · workspace ID " + audience.workspaceId()
                + " · definition version " + audience.definitionVersion() + " · created by "
                + audience.createdBy() + " " + TIME.format(audience.createdAt()) + " · updated by "
                + audience.updatedBy() + " " + TIME.format(audience.updatedAt()));
    }
}
