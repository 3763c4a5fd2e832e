package org.openaudience.calculation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openaudience.criteria.ProfileFacts;
import org.openaudience.criteria.TextRule;

/**
 * Published by ingestion after its transaction committed (real-time membership consumes it, so it lives here): these
 * profiles of the workspace have new data; of them, these were created or have new facts (anything a Users criterion
 * reads but the last-seen time), and these are the new events by {@link #eventKey event key}, each with its profile.
 */
public record ProfilesTouched(long workspaceId, Set<Long> mpids, Set<Long> mpidsWithNewFacts,
                              Map<String, List<TouchedEvent>> eventsByKey) {

    public ProfilesTouched {
        mpids = Set.copyOf(mpids);
        mpidsWithNewFacts = Set.copyOf(mpidsWithNewFacts);
        eventsByKey = Map.copyOf(eventsByKey);
    }

    /** An event a profile received, as the evaluator reads it. */
    public record TouchedEvent(long mpid, ProfileFacts.EventFact event) {
    }

    /** Event keys compare by the audiences' text rule. */
    public static String eventKey(String eventType, String eventKey) {
        return eventType + ":" + TextRule.fold(eventKey);
    }
}
