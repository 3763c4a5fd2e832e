package org.openaudience.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One validated event of a batch.
 *
 * @param key        what criteria and the catalog name it by: event name, screen name, product action, transition
 *                   type, or the event type itself
 * @param attributes custom attributes, plus commerce transaction and product fields
 * @param data       the event's {@code data} object as received
 */
public record IncomingEvent(EventType type, String key, String customEventType, Instant time, ObjectNode attributes,
                            ObjectNode data, Double latitude, Double longitude) {
}
