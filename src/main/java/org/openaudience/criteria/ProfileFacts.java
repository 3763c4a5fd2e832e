package org.openaudience.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** One profile and its events, as the in-memory evaluator needs them. JSON parts are objects. */
public record ProfileFacts(long mpid, JsonNode userAttributes, JsonNode identities, JsonNode deviceInfo,
                           JsonNode platforms, String country, String region, String city, Instant firstSeen,
                           Instant lastSeen, List<EventFact> events) {

    /** One stored event. */
    public record EventFact(String eventType, String eventKey, String customEventType, long inputId, Instant time,
                            JsonNode attributes) {
    }
}
