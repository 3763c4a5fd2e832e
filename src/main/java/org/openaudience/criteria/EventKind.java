package org.openaudience.criteria;

import java.util.Optional;

/**
 * The event criterion types of PRODUCT.md §3.3 and the stored events they look at. Events, screen views and
 * ecommerce need a name (event name, screen name, product action); the others imply their key.
 */
public enum EventKind {
    EVENT("Events", "custom_event", null, null),
    SCREEN_VIEW("Screen Views", "screen_view", null, null),
    ECOMMERCE("Ecommerce", "commerce_event", null, null),
    SESSION("Sessions", "session_start", "session_start", null),
    CRASH("Crashes", "crash_report", "crash_report", null),
    INSTALL("App lifecycle · Install", "application_state_transition", "application_initialized", "is_first_run"),
    UPGRADE("App lifecycle · Upgrade", "application_state_transition", "application_initialized", "is_upgrade"),
    UNINSTALL("App lifecycle · Uninstall", "uninstall", "uninstall", null);

    private final String label;
    private final String eventType;
    private final String impliedKey;
    private final String impliedTrueAttribute;

    EventKind(String label, String eventType, String impliedKey, String impliedTrueAttribute) {
        this.label = label;
        this.eventType = eventType;
        this.impliedKey = impliedKey;
        this.impliedTrueAttribute = impliedTrueAttribute;
    }

    public String label() {
        return label;
    }

    public String eventType() {
        return eventType;
    }

    /** The stored event key, or empty when the criterion names it. */
    public Optional<String> impliedKey() {
        return Optional.ofNullable(impliedKey);
    }

    /** An attribute that must be true on the event (install / upgrade transitions), if any. */
    public Optional<String> impliedTrueAttribute() {
        return Optional.ofNullable(impliedTrueAttribute);
    }

    public boolean needsName() {
        return impliedKey == null;
    }
}
