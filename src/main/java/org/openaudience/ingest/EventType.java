package org.openaudience.ingest;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The {@code event_type} values of the mParticle Events API v2 (PRODUCT.md §5). */
public enum EventType {
    CUSTOM_EVENT("custom_event"),
    SCREEN_VIEW("screen_view"),
    COMMERCE_EVENT("commerce_event"),
    SESSION_START("session_start"),
    SESSION_END("session_end"),
    CRASH_REPORT("crash_report"),
    OPT_OUT("opt_out"),
    APPLICATION_STATE_TRANSITION("application_state_transition"),
    USER_ATTRIBUTE_CHANGE("user_attribute_change"),
    USER_IDENTITY_CHANGE("user_identity_change"),
    UNINSTALL("uninstall"),
    PUSH_REGISTRATION("push_registration"),
    PUSH_MESSAGE("push_message"),
    NETWORK_PERFORMANCE("network_performance"),
    BREADCRUMB("breadcrumb"),
    FIRST_RUN("first_run"),
    PROFILE("profile");

    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toMap(EventType::wireName, Function.identity()));

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}
