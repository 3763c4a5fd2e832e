package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Frequency;
import org.openaudience.criteria.Frequency.Comparison;
import org.openaudience.criteria.Group;

/** Which profiles real time looks at: every touched one for definitions a profile matches without their events. */
class RealTimeScopeTest {

    @Test
    void definitions_a_profile_without_their_events_matches_are_recognised() {
        assertThat(RealTimeMembership.matchesWithoutEvents(Definition.of(search(Frequency.of(Comparison.LESS_THAN,
                1))), Instant.now())).isTrue();
        assertThat(RealTimeMembership.matchesWithoutEvents(Definition.of(search(Frequency.of(Comparison.EXACTLY, 0))),
                Instant.now())).isTrue();
        assertThat(RealTimeMembership.matchesWithoutEvents(Definition.of(search(new Frequency(Comparison.BETWEEN, 0,
                3))), Instant.now())).isTrue();
        assertThat(RealTimeMembership.matchesWithoutEvents(Definition.of(Group.of(search(Frequency.ANY))
                .then(Connector.OR, purchase(Frequency.of(Comparison.LESS_THAN, 2)))), Instant.now())).isTrue();
    }

    @Test
    void definitions_that_need_one_of_their_events_are_not_matched_without_events() {
        assertThat(RealTimeMembership.matchesWithoutEvents(Definition.of(search(Frequency.ANY)), Instant.now()))
                .isFalse();
        assertThat(RealTimeMembership.matchesWithoutEvents(Definition.of(search(new Frequency(Comparison.BETWEEN, 1,
                3))), Instant.now())).isFalse();
        assertThat(RealTimeMembership.matchesWithoutEvents(Definition.of(Group.of(search(Frequency.of(
                Comparison.EXACTLY, 0))).then(Connector.AND, purchase(Frequency.ANY))), Instant.now())).isFalse();
        assertThat(RealTimeMembership.matchesWithoutEvents(Definition.of(Group.of(search(Frequency.of(
                Comparison.LESS_THAN, 1))).then(Connector.EXCLUDE, purchase(Frequency.of(Comparison.EXACTLY, 0)))),
                Instant.now())).isFalse();
    }

    private static EventCriterion search(Frequency frequency) {
        return new EventCriterion(EventKind.EVENT, "Search", null, List.of(), frequency, null);
    }

    private static EventCriterion purchase(Frequency frequency) {
        return new EventCriterion(EventKind.ECOMMERCE, "purchase", null, List.of(), frequency, null);
    }
}
