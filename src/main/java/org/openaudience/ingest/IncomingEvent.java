package org.openaudience.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.openaudience.profile.Identity;

/**
 * One validated event of a batch.
 *
 * @param key        what criteria and the catalog name it by: event name, screen name, product action, transition
 *                   type, or the event type itself
 * @param attributes custom attributes, plus commerce transaction and product fields
 * @param data       the event's {@code data} object as received
 * @param attributeChange what a {@code user_attribute_change} event changes, validated; null for other events
 * @param identityChange  what a {@code user_identity_change} event changes, validated; null for other events
 */
public record IncomingEvent(EventType type, String key, String customEventType, Instant time, ObjectNode attributes,
                            ObjectNode data, Double latitude, Double longitude, AttributeChange attributeChange,
                            IdentityChange identityChange) {

    /** A user attribute's new value: a plain value or a list of them, or a {@code NullNode} that deletes it. */
    public record AttributeChange(String name, JsonNode value) {
    }

    /**
     * The identity a user no longer has and the one they have now, normalised as stored ({@code IdentityRule});
     * either may be null.
     */
    public record IdentityChange(Identity removed, Identity added) {
    }

    /** Fields of {@code data} that the typed columns and {@link #attributes} do not already hold. */
    private static final java.util.List<String> IN_COLUMNS = java.util.List.of("event_name", "custom_event_type",
            "screen_name", "custom_attributes", "timestamp_unixtime_ms");

    /**
     * The rest of {@code data}, stored beside the columns (e.g. product_action, location, session ids); the event
     * exactly as received stays in its batch's raw JSON.
     */
    public ObjectNode extraData() {
        ObjectNode extra = data.deepCopy();
        extra.remove(IN_COLUMNS);
        return extra;
    }
}
