package org.openaudience.event;

import java.time.Instant;

/** An accepted event about to be stored; attributes and data are JSON objects as text. */
public record NewEvent(long mpid, long inputId, long batchId, String eventType, String eventKey,
                       String customEventType, String platform, String environment, Instant eventTime,
                       Instant receivedAt, String attributesJson, String dataJson) {
}
