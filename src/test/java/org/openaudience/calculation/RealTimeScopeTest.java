package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Frequency;
import org.openaudience.criteria.Frequency.Comparison;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.ProfileScope.MpidRange;

/** Which profiles real time and the sweep look at: absence-shaped definitions, a running calculation's done part. */
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

    @Test
    void a_running_calculation_is_swept_below_its_last_done_bucket_and_above_its_span_only() {
        // span [0, 1000] in 10 buckets: [0, 99], [100, 199] … [900, 1000]
        assertThat(MembershipWriter.evaluatedRanges(run(0, 1000, 10, 3), new MpidRange(-500, 2000)))
                .containsExactly(new MpidRange(-500, 299), new MpidRange(1001, 2000));
        assertThat(MembershipWriter.evaluatedRanges(run(0, 1000, 10, 3), new MpidRange(250, 350)))
                .containsExactly(new MpidRange(250, 299));
        assertThat(MembershipWriter.evaluatedRanges(run(0, 1000, 10, 3), new MpidRange(400, 600))).isEmpty();
        assertThat(MembershipWriter.evaluatedRanges(run(0, 1000, 10, 0), new MpidRange(-500, 2000)))
                .containsExactly(new MpidRange(-500, -1), new MpidRange(1001, 2000));
        assertThat(MembershipWriter.evaluatedRanges(run(0, 1000, 10, 10), new MpidRange(500, 1500)))
                .containsExactly(new MpidRange(500, 1000), new MpidRange(1001, 1500));
    }

    @Test
    void a_span_reaching_the_ends_of_the_mpid_space_leaves_nothing_outside_it() {
        assertThat(MembershipWriter.evaluatedRanges(run(Long.MIN_VALUE, Long.MAX_VALUE, 64, 0),
                new MpidRange(Long.MIN_VALUE, Long.MAX_VALUE))).isEmpty();
        assertThat(MembershipWriter.evaluatedRanges(run(Long.MIN_VALUE, 1000, 10, 0),
                new MpidRange(Long.MIN_VALUE, 5))).isEmpty();
    }

    private static Map<String, Object> run(long min, long max, int buckets, int done) {
        return Map.of("mpid_min", min, "mpid_max", max, "buckets_total", buckets, "buckets_done", done);
    }

    private static EventCriterion search(Frequency frequency) {
        return new EventCriterion(EventKind.EVENT, "Search", null, List.of(), frequency, null);
    }

    private static EventCriterion purchase(Frequency frequency) {
        return new EventCriterion(EventKind.ECOMMERCE, "purchase", null, List.of(), frequency, null);
    }
}
