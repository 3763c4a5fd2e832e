package org.openaudience.calculation;

import java.util.Map;
import org.openaudience.criteria.TextRule;
import java.util.Set;

/**
 * Published by ingestion after its transaction committed (real-time membership consumes it, so it lives here): these
 * profiles of the workspace have new data; of them, these were created or have new facts (anything a Users criterion
 * reads but the last-seen time), and these received events of each {@link #eventKey event key}.
 */
public record ProfilesTouched(long workspaceId, Set<Long> mpids, Set<Long> mpidsWithNewFacts,
                              Map<String, Set<Long>> mpidsByEventKey) {

    public ProfilesTouched {
        mpids = Set.copyOf(mpids);
        mpidsWithNewFacts = Set.copyOf(mpidsWithNewFacts);
        mpidsByEventKey = Map.copyOf(mpidsByEventKey);
    }

    /** Event keys compare by the audiences' text rule. */
    public static String eventKey(String eventType, String eventKey) {
        return eventType + ":" + TextRule.fold(eventKey);
    }
}
