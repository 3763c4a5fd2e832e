package org.openaudience.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One profile, its events and the audiences it is a member of, as the in-memory evaluator needs them. JSON parts
 * are objects.
 */
public record ProfileFacts(long mpid, JsonNode userAttributes, JsonNode identities, JsonNode deviceInfo,
                           JsonNode platforms, String country, String region, String city, Instant firstSeen,
                           Instant lastSeen, List<EventFact> events, Set<Long> audiences) {

    public ProfileFacts {
        audiences = Set.copyOf(audiences);
    }

    public ProfileFacts(long mpid, JsonNode userAttributes, JsonNode identities, JsonNode deviceInfo,
                        JsonNode platforms, String country, String region, String city, Instant firstSeen,
                        Instant lastSeen, List<EventFact> events) {
        this(mpid, userAttributes, identities, deviceInfo, platforms, country, region, city, firstSeen, lastSeen,
                events, Set.of());
    }

    public ProfileFacts withAudiences(Set<Long> memberOf) {
        return new ProfileFacts(mpid, userAttributes, identities, deviceInfo, platforms, country, region, city,
                firstSeen, lastSeen, events, memberOf);
    }

    /** One stored event. */
    public record EventFact(String eventType, String eventKey, String customEventType, long inputId, Instant time,
                            JsonNode attributes) {
    }
}
