package org.openaudience.catalog;

import java.util.List;

/** How the catalog groups event keys for people, by event type. */
public enum EventGroup {
    CUSTOM_EVENTS("Custom events", List.of("custom_event")),
    SCREEN_VIEWS("Screen views", List.of("screen_view")),
    COMMERCE("Commerce", List.of("commerce_event")),
    SESSIONS("Sessions", List.of("session_start", "session_end")),
    LIFECYCLE("App lifecycle", List.of("application_state_transition", "first_run", "uninstall")),
    OTHER("Other", List.of("crash_report", "opt_out", "push_registration", "push_message", "network_performance",
            "breadcrumb", "profile", "user_attribute_change", "user_identity_change"));

    private final String label;
    private final List<String> eventTypes;

    EventGroup(String label, List<String> eventTypes) {
        this.label = label;
        this.eventTypes = eventTypes;
    }

    public String label() {
        return label;
    }

    public List<String> eventTypes() {
        return eventTypes;
    }

    public static EventGroup of(String eventType) {
        for (EventGroup group : values()) {
            if (group.eventTypes.contains(eventType)) {
                return group;
            }
        }
        return OTHER;
    }
}
