package org.openaudience.event;

import java.time.Instant;

/** A stored event as read back, e.g. for a user's lookup. */
public record StoredEvent(long id, long mpid, long inputId, String eventType, String eventKey, String customEventType,
                          String platform, String environment, Instant eventTime, Instant receivedAt,
                          String attributesJson, String dataJson) {
}
