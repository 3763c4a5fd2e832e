package org.openaudience.livestream.ui;

import java.util.Set;
import org.openaudience.livestream.Direction;
import org.openaudience.livestream.StreamEvent;

/**
 * What the Live Stream shows: empty sets mean "all".
 *
 * @param environment "development", "production" or null for both
 * @param direction   null for both
 * @param deviceOrMpid an MPID or device id, or blank for everyone
 */
record StreamFilter(Set<Long> inputIds, String environment, Direction direction, String deviceOrMpid,
                    Set<String> eventTypes) {

    static StreamFilter initial() {
        return new StreamFilter(Set.of(), "development", null, null, Set.of());
    }

    boolean matches(StreamEvent event) {
        // outbound rows have neither input nor environment: those two filters narrow the inbound rows only
        boolean outbound = event.direction() == Direction.OUTBOUND;
        return (outbound || inputIds.isEmpty() || inputIds.contains(event.inputId()))
                && (outbound || environment == null || environment.equals(event.environment()))
                && (direction == null || direction == event.direction())
                && (eventTypes.isEmpty() || eventTypes.contains(event.eventType()))
                && matchesUser(event);
    }

    private boolean matchesUser(StreamEvent event) {
        if (deviceOrMpid == null || deviceOrMpid.isBlank()) {
            return true;
        }
        String wanted = deviceOrMpid.trim();
        return wanted.equals(event.deviceId()) || (event.mpid() != null && wanted.equals(event.mpid().toString()));
    }
}
