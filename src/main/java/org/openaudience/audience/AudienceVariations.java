package org.openaudience.audience;

import java.util.List;
import java.util.Optional;
import java.util.function.LongToIntFunction;

/**
 * The A/B split of an audience's members by its saved test, for member downloads. The abtest feature implements it:
 * it builds on audiences, so audiences ask through this interface instead of calling it.
 */
public interface AudienceVariations {

    /**
     * The saved test's split; empty when the audience has no test or an unsaved one (which assigns nobody yet).
     * Refuses members who may not use the audience, as its service does.
     */
    Optional<Split> savedSplit(long audienceId);

    /**
     * @param names      the variations' names by position: 0 is Control
     * @param positionOf a member's variation, by MPID; stable across recalculations
     */
    record Split(List<String> names, LongToIntFunction positionOf) {

        public Split {
            names = List.copyOf(names);
        }
    }
}
