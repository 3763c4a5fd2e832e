package org.openaudience.livestream.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openaudience.livestream.StreamEvent;

/** Event Details: the selected row grouped into sections, with its raw JSON one click away. */
class EventDetailsPanel extends VerticalLayout {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);

    final H3 title = new H3();
    final Div sections = new Div();
    final Button rawJson = new Button("View raw JSON");
    private StreamEvent event;
    private RawJsonDialog rawJsonDialog;

    EventDetailsPanel(Runnable onClose) {
        addClassName("event-details");
        setVisible(false);
        Button close = new Button("Close", click -> {
            setVisible(false);
            onClose.run();
        });
        close.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        rawJson.addClickListener(click -> {
            rawJsonDialog = new RawJsonDialog(pretty(event.rawJson()));
            rawJsonDialog.open();
        });
        HorizontalLayout header = new HorizontalLayout(title, close);
        header.setWidthFull();
        header.expand(title);
        add(header, rawJson, sections);
    }

    /** Hides the panel and its raw JSON dialog and forgets the event. */
    void close() {
        if (rawJsonDialog != null) {
            rawJsonDialog.close();
            rawJsonDialog = null;
        }
        event = null;
        sections.removeAll();
        setVisible(false);
    }

    void show(StreamEvent selected) {
        this.event = selected;
        title.setText(selected.eventName());
        sections.removeAll();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("Event type", selected.eventType());
        details.put("Event name", selected.eventName());
        if (selected.customEventType() != null) {
            details.put("Custom event type", selected.customEventType());
        }
        details.put("Event time", TIME.format(selected.eventTime()));
        details.put("Received", TIME.format(selected.receivedAt()));
        details.put("Direction", selected.direction().label());
        details.put("Status", selected.status());
        details.put("Input", selected.inputName());
        details.put("Platform", selected.platform() == null ? "—" : selected.platform());
        details.put("Environment", selected.environment() == null ? "—" : selected.environment());
        details.put("MPID", selected.mpid() == null ? "—" : selected.mpid().toString());
        if (selected.deviceId() != null) {
            details.put("Device ID", selected.deviceId());
        }
        section("Event details", details);
        section("Attributes", fields(selected.attributesJson()));
        section("User identities", fields(selected.identitiesJson()));
        section("User attributes", fields(selected.userAttributesJson()));
        section("Device info", fields(selected.deviceInfoJson()));
        Map<String, String> location = new LinkedHashMap<>();
        Map<String, String> userAttributes = fields(selected.userAttributesJson());
        for (String[] place : new String[][] {{"$country", "Country"}, {"$state", "Region"}, {"$city", "City"}}) {
            if (userAttributes.containsKey(place[0])) {
                location.put(place[1], userAttributes.get(place[0]));
            }
        }
        if (selected.latitude() != null) {
            location.put("Latitude", selected.latitude().toString());
            location.put("Longitude", selected.longitude().toString());
        }
        section("Location", location);
        setVisible(true);
    }

    private void section(String name, Map<String, String> values) {
        Div section = new Div(new H4(name));
        section.addClassName("details-section");
        if (values.isEmpty()) {
            section.add(new Span("None"));
        }
        values.forEach((key, value) -> {
            Div row = new Div(new Span(key), new Span(value));
            row.addClassName("details-row");
            section.add(row);
        });
        sections.add(section);
    }

    static Map<String, String> fields(String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            JsonNode node = JSON.readTree(json);
            node.fields().forEachRemaining(field -> fields.put(field.getKey(),
                    field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stream rows carry JSON written by the ingest path", e);
        }
        return fields;
    }

    static String pretty(String json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stream rows carry JSON written by the ingest path", e);
        }
    }
}
