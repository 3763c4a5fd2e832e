package org.openaudience.catalog;

import java.time.Instant;

/** An event key of the catalog: a custom event name, screen name, product action, session or lifecycle type. */
public record CatalogEvent(String eventType, String eventKey, String customEventType, long count, Instant firstSeen,
                           Instant lastSeen) {

    public EventGroup group() {
        return EventGroup.of(eventType);
    }
}
