package org.openaudience.audience.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;
import org.openaudience.audience.Audience;
import org.openaudience.audience.CalculationRun;
import org.openaudience.audience.DefinitionVersion;
import org.openaudience.criteria.Describe;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.Node;

/**
 * The Details tab: name, external name, description and tags (editable), ids and who / when, the definition
 * history with a readable difference to the version before, and the calculation runs.
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
    final Grid<DefinitionVersion> history = new Grid<>();
    final Grid<CalculationRun> runs = new Grid<>();
    private final Span ids = new Span();
    /** What each version changed against the one before, by version number. */
    final Map<Integer, String> changes = new HashMap<>();

    DetailsTab(boolean mayEdit, SaveListener listener) {
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
        add(form, save, ids, new H3("Definition history"), historyGrid(), new H3("Calculation runs"), runsGrid());
    }

    void show(Audience audience, List<String> inputNames) {
        name.setValue(audience.name());
        externalName.setValue(audience.externalName());
        description.setValue(audience.description());
        tags.setItems(audience.tagNames());
        tags.setValue(audience.tagNames());
        ids.setText("Audience ID " + audience.id() + " · workspace ID " + audience.workspaceId() + " · inputs: "
                + (inputNames.isEmpty() ? "all" : String.join(", ", inputNames)) + " · created by "
                + audience.createdBy() + " " + TIME.format(audience.createdAt()) + " · updated by "
                + audience.updatedBy() + " " + TIME.format(audience.updatedAt()));
    }

    private Component historyGrid() {
        history.addColumn(DefinitionVersion::version).setHeader("Version").setAutoWidth(true).setFlexGrow(0);
        history.addColumn(DefinitionVersion::savedBy).setHeader("Saved by").setAutoWidth(true);
        history.addColumn(version -> TIME.format(version.savedAt())).setHeader("Saved").setAutoWidth(true);
        history.addColumn(version -> changes.getOrDefault(version.version(), "")).setKey("changes")
                .setHeader("Changes").setFlexGrow(1);
        history.setAllRowsVisible(true);
        return history;
    }

    void showHistory(List<DefinitionVersion> versions, LongFunction<String> audienceName) {
        changes.clear();
        for (int i = 0; i < versions.size(); i++) {
            DefinitionVersion version = versions.get(i);
            List<String> now = lines(version.definition().root(), "", audienceName);
            List<String> before = i + 1 < versions.size()
                    ? lines(versions.get(i + 1).definition().root(), "", audienceName) : List.of();
            List<String> diff = new ArrayList<>();
            now.stream().filter(line -> !before.contains(line)).forEach(line -> diff.add("+ " + line));
            before.stream().filter(line -> !now.contains(line)).forEach(line -> diff.add("− " + line));
            changes.put(version.version(), diff.isEmpty() ? (i + 1 < versions.size() ? "no change" : "created")
                    : String.join("; ", diff));
        }
        history.setItems(versions);
    }

    /** Each criterion with its connector and place, e.g. "2 And: Users · status Exact Match premium". */
    static List<String> lines(Group group, String prefix, LongFunction<String> audienceName) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < group.items().size(); i++) {
            Group.Item item = group.items().get(i);
            String place = prefix + (i + 1) + (item.connector() == null ? "" : " " + item.connector().name()
                    .charAt(0) + item.connector().name().substring(1).toLowerCase());
            Node node = item.node();
            if (node instanceof Group inner) {
                lines.add(place + ": group");
                lines.addAll(lines(inner, prefix + (i + 1) + ".", audienceName));
            } else {
                lines.add(place + ": " + Describe.criterion(node, audienceName));
            }
        }
        return lines;
    }

    private Component runsGrid() {
        runs.addColumn(CalculationRun::generation).setHeader("Run").setAutoWidth(true).setFlexGrow(0);
        runs.addColumn(CalculationRun::definitionVersion).setHeader("Version").setAutoWidth(true).setFlexGrow(0);
        runs.addColumn(run -> run.status().charAt(0) + run.status().substring(1).toLowerCase()).setHeader("Status")
                .setAutoWidth(true);
        runs.addColumn(run -> TIME.format(run.startedAt())).setHeader("Started").setAutoWidth(true);
        runs.addColumn(run -> run.finishedAt() == null ? "" : TIME.format(run.finishedAt())).setHeader("Finished")
                .setAutoWidth(true);
        runs.addColumn(run -> run.finishedAt() == null ? "" : seconds(run.startedAt(), run.finishedAt()))
                .setHeader("Duration").setAutoWidth(true);
        runs.addColumn(CalculationRun::size).setHeader("Size").setAutoWidth(true);
        runs.addColumn(run -> run.error() == null ? "" : run.error()).setHeader("Error").setFlexGrow(1);
        runs.setAllRowsVisible(true);
        return runs;
    }

    private static String seconds(Instant start, Instant end) {
        return String.format(java.util.Locale.US, "%.1f s", Duration.between(start, end).toMillis() / 1000.0);
    }
}
