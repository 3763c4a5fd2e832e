package org.openaudience.livestream;

import java.time.Instant;

/**
 * One row of the Live Stream, with everything the Event Details panel shows. JSON parts are compact JSON text.
 *
 * @param deviceId   the first device id of the batch, for users without an MPID in view
 * @param status     e.g. "Accepted", or an outbound delivery's failure reason
 * @param rawJson    the event exactly as received (event_type and data)
 */
public record StreamEvent(long workspaceId, Instant receivedAt, Instant eventTime, Direction direction,
                          String eventType, String eventName, String customEventType, long inputId,
                          String inputName, String platform, String environment, Long mpid, String deviceId,
                          String status, String attributesJson, String identitiesJson, String userAttributesJson,
                          String deviceInfoJson, Double latitude, Double longitude, String rawJson) {

    public boolean isDevelopment() {
        return "development".equals(environment);
    }
}
