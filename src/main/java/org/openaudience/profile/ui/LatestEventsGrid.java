package org.openaudience.profile.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import java.util.ArrayList;
import java.util.List;
import org.openaudience.event.StoredEvent;

/** A user's latest events, newest first, as the lookup service returns them (at most a hundred). */
class LatestEventsGrid extends Grid<StoredEvent> {

    private static final ObjectMapper JSON = new ObjectMapper();

    LatestEventsGrid(List<StoredEvent> events) {
        super(StoredEvent.class, false);
        addClassName("latest-events");
        addColumn(event -> ProfileFormat.time(event.eventTime())).setKey("time").setHeader("Time (UTC)")
                .setAutoWidth(true);
        addColumn(StoredEvent::eventType).setKey("eventType").setHeader("Event type").setAutoWidth(true);
        addColumn(StoredEvent::eventKey).setKey("name").setHeader("Name").setAutoWidth(true);
        addColumn(StoredEvent::platform).setKey("platform").setHeader("Platform").setAutoWidth(true);
        addColumn(StoredEvent::environment).setKey("environment").setHeader("Environment").setAutoWidth(true);
        addColumn(event -> compact(event.attributesJson())).setKey("attributes").setHeader("Attributes")
                .setFlexGrow(1).setTooltipGenerator(event -> compact(event.attributesJson()));
        addThemeVariants(GridVariant.LUMO_COMPACT);
        setItems(events);
        setAllRowsVisible(events.size() <= 20);
    }

    /** {@code {"a":"x","b":2}} as {@code a: x, b: 2}; text that is not a JSON object as it is. */
    static String compact(String attributesJson) {
        if (attributesJson == null || attributesJson.isBlank()) {
            return "";
        }
        try {
            JsonNode node = JSON.readTree(attributesJson);
            if (!node.isObject()) {
                return node.toString();
            }
            List<String> pairs = new ArrayList<>();
            node.fields().forEachRemaining(field -> pairs.add(field.getKey() + ": "
                    + (field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString())));
            return String.join(", ", pairs);
        } catch (JsonProcessingException e) {
            return attributesJson;
        }
    }
}
