package org.openaudience.livestream.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.select.Select;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.openaudience.ingest.EventType;
import org.openaudience.input.InputSummary;
import org.openaudience.livestream.Direction;

/** The Live Stream's filter bar; {@link #filter()} reads it, {@code onChange} runs after every change. */
class StreamFilters extends FlexLayout {

    static final String BOTH = "Both";

    final MultiSelectComboBox<InputSummary> inputs = new MultiSelectComboBox<>("Inputs");
    final Select<String> environment = new Select<>();
    final Select<String> direction = new Select<>();
    final ComboBox<String> deviceOrMpid = new ComboBox<>("Device / MPID");
    final MultiSelectComboBox<String> eventTypes = new MultiSelectComboBox<>("Event type");
    private final Set<String> recentIds = new LinkedHashSet<>();

    StreamFilters(List<InputSummary> workspaceInputs, Runnable onChange) {
        addClassName("filter-bar");
        setFlexWrap(FlexWrap.WRAP);
        inputs.setItems(workspaceInputs);
        inputs.setItemLabelGenerator(input -> input.name() + " (" + input.platform().label() + ")");
        inputs.setPlaceholder("All inputs");
        environment.setLabel("Environment");
        environment.setItems("Development", "Production", BOTH);
        environment.setValue("Development");
        direction.setLabel("Message direction");
        direction.setItems(BOTH, Direction.INBOUND.label(), Direction.OUTBOUND.label());
        direction.setValue(BOTH);
        deviceOrMpid.setAllowCustomValue(true);
        deviceOrMpid.setClearButtonVisible(true);
        deviceOrMpid.setPlaceholder("Any user");
        deviceOrMpid.addCustomValueSetListener(event -> deviceOrMpid.setValue(event.getDetail()));
        eventTypes.setItems(Arrays.stream(EventType.values()).map(EventType::wireName).toList());
        eventTypes.setPlaceholder("All types");
        inputs.addValueChangeListener(e -> onChange.run());
        environment.addValueChangeListener(e -> onChange.run());
        direction.addValueChangeListener(e -> onChange.run());
        deviceOrMpid.addValueChangeListener(e -> onChange.run());
        eventTypes.addValueChangeListener(e -> onChange.run());
        add(inputs, environment, direction, deviceOrMpid, eventTypes);
    }

    StreamFilter filter() {
        String env = environment.getValue();
        String dir = direction.getValue();
        return new StreamFilter(inputs.getValue().stream().map(InputSummary::id).collect(Collectors.toSet()),
                BOTH.equals(env) ? null : env.toLowerCase(),
                BOTH.equals(dir) ? null : Arrays.stream(Direction.values()).filter(d -> d.label().equals(dir))
                        .findFirst().orElse(null),
                deviceOrMpid.getValue(), Set.copyOf(eventTypes.getValue()));
    }

    /** Offers recently seen MPIDs and device ids (newest first, at most 50) in the Device / MPID box. */
    void rememberIds(Collection<String> ids) {
        ids.forEach(id -> {
            recentIds.remove(id);
            recentIds.add(id);
        });
        while (recentIds.size() > 50) {
            recentIds.remove(recentIds.iterator().next());
        }
        List<String> newestFirst = new java.util.ArrayList<>(recentIds);
        java.util.Collections.reverse(newestFirst);
        String value = deviceOrMpid.getValue();
        deviceOrMpid.setItems(newestFirst);
        if (value != null && !newestFirst.contains(value)) {
            // a typed id stays selected even when it has not been seen yet
            List<String> withValue = new java.util.ArrayList<>(newestFirst);
            withValue.add(0, value);
            deviceOrMpid.setItems(withValue);
        }
        deviceOrMpid.setValue(value);
    }
}
