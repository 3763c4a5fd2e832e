package org.openaudience.calculation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.openaudience.criteria.ProfileFacts;
import org.openaudience.criteria.Connector;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.EventKind;
import org.openaudience.criteria.Frequency;
import org.openaudience.criteria.Frequency.Comparison;
import org.openaudience.criteria.Condition;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.Group;
import org.openaudience.criteria.MembershipCriterion;
import org.openaudience.criteria.Operator;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.criteria.UserField;
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

    /** Profile 1 received a Search, 2 a purchase, 3 only changed its attributes, 4 only sent events of other keys. */
    private static Touched touched() {
        Touched touched = new Touched();
        touched.add(Set.of(1L, 2L, 3L, 4L), Set.of(3L), Map.of(
                ProfilesTouched.eventKey("custom_event", "search"), List.of(event(1, "custom_event", "search", 7,
                        "{}")),
                ProfilesTouched.eventKey("commerce_event", "purchase"), List.of(event(2, "commerce_event", "purchase",
                        7, "{}")),
                ProfilesTouched.eventKey("custom_event", "Play Video"), List.of(event(4, "custom_event", "Play Video",
                        7, "{}"))));
        return touched;
    }

    private static ProfilesTouched.TouchedEvent event(long mpid, String type, String key, long inputId,
                                                      String attributes) {
        try {
            return new ProfilesTouched.TouchedEvent(mpid, new ProfileFacts.EventFact(type, key, null, inputId,
                    Instant.now(), new ObjectMapper().readTree(attributes)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(attributes, e);
        }
    }

    @Test
    void event_criteria_with_conditions_see_only_the_profiles_whose_new_events_they_could_count() {
        Touched touched = new Touched();
        String playVideo = ProfilesTouched.eventKey("custom_event", "Play Video");
        touched.add(Set.of(5L, 6L, 7L, 8L), Set.of(), Map.of(playVideo, List.of(
                event(5, "custom_event", "PLAY VIDEO", 7, "{\"destination\": \"London\"}"),
                event(6, "custom_event", "play video", 7, "{\"destination\": \"PARIS\"}"),
                event(7, "custom_event", "Play Video", 8, "{\"destination\": \"Paris\"}"),
                event(8, "custom_event", "Play Video", 7, "{}"))));
        EventCriterion parisVideo = new EventCriterion(EventKind.EVENT, "Play Video", null, List.of(Condition.of(
                "destination", DataType.STRING, Operator.EXACT_MATCH, "paris")), Frequency.ANY, null);
        assertThat(RealTimeMembership.affected(Definition.of(parisVideo), touched, Instant.now()))
                .containsExactlyInAnyOrder(6L, 7L);
        assertThat(RealTimeMembership.affected(new Definition(Group.of(parisVideo), Set.of(7L)), touched,
                Instant.now())).as("only events of the definition's inputs count").containsExactly(6L);
        // a negated condition: the London event could count, the Paris ones could not
        EventCriterion notParis = new EventCriterion(EventKind.EVENT, "Play Video", null, List.of(Condition.of(
                "destination", DataType.STRING, Operator.DOES_NOT_CONTAIN, "paris")), Frequency.of(
                Comparison.LESS_THAN, 2), null);
        assertThat(RealTimeMembership.affected(Definition.of(notParis), touched, Instant.now())).contains(5L)
                .doesNotContain(6L, 7L);
    }

    @Test
    void event_criteria_see_only_the_profiles_that_received_their_events() {
        assertThat(RealTimeMembership.affected(Definition.of(search(Frequency.ANY)), touched(), Instant.now()))
                .containsExactly(1L);
        assertThat(RealTimeMembership.affected(Definition.of(Group.of(search(Frequency.ANY))
                .then(Connector.EXCLUDE, purchase(Frequency.ANY))), touched(), Instant.now()))
                .containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void a_round_holding_more_events_than_it_keeps_re_evaluates_every_profile_with_a_criterions_key() {
        EventCriterion parisVideo = new EventCriterion(EventKind.EVENT, "Play Video", null, List.of(Condition.of(
                "destination", DataType.STRING, Operator.EXACT_MATCH, "paris")), Frequency.ANY, null);
        String playVideo = ProfilesTouched.eventKey("custom_event", "Play Video");
        Touched touched = new Touched();
        touched.add(Set.of(5L), Set.of(), Map.of(playVideo, List.of(event(5, "custom_event", "Play Video", 7,
                "{\"destination\": \"London\"}"))));
        assertThat(RealTimeMembership.affected(Definition.of(parisVideo), touched, Instant.now())).isEmpty();

        // a flush delayed under heavy ingestion: past the cap, the round keeps MPIDs by key only
        touched.add(Set.of(6L), Set.of(), Map.of(playVideo, java.util.Collections.nCopies(
                Touched.MAX_EVENTS, event(6, "custom_event", "Play Video", 7, "{}"))));
        assertThat(touched.eventsByKey()).as("no event kept past the cap").isEmpty();
        assertThat(RealTimeMembership.affected(Definition.of(parisVideo), touched, Instant.now()))
                .containsExactlyInAnyOrder(5L, 6L);
        Touched retried = new Touched();
        retried.add(touched);
        assertThat(RealTimeMembership.affected(Definition.of(parisVideo), retried, Instant.now()))
                .as("merged back for a retry, still by key").containsExactlyInAnyOrder(5L, 6L);
    }

    @Test
    void users_criteria_see_also_the_profiles_with_new_facts_but_not_those_that_only_sent_other_events() {
        assertThat(RealTimeMembership.affected(Definition.of(premium()), touched(), Instant.now()))
                .containsExactly(3L);
        assertThat(RealTimeMembership.affected(Definition.of(Group.of(search(Frequency.ANY))
                .then(Connector.AND, premium())), touched(), Instant.now())).containsExactlyInAnyOrder(1L, 3L);
    }

    @Test
    void an_absence_shaped_definition_sees_the_profiles_with_new_facts_as_a_new_profile_may_qualify() {
        assertThat(RealTimeMembership.affected(Definition.of(search(Frequency.of(Comparison.LESS_THAN, 1))),
                touched(), Instant.now())).containsExactlyInAnyOrder(1L, 3L);
    }

    @Test
    void the_last_seen_time_and_membership_criteria_see_every_touched_profile() {
        UserCriterion seenLately = new UserCriterion(UserField.LAST_SEEN, Condition.of(null, DataType.DATE,
                Operator.IN_LAST_DAYS, "7"));
        assertThat(RealTimeMembership.affected(Definition.of(seenLately), touched(), Instant.now()))
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        assertThat(RealTimeMembership.affected(Definition.of(Group.of(search(Frequency.ANY))
                .then(Connector.AND, new MembershipCriterion(7, true))), touched(), Instant.now()))
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
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

    private static UserCriterion premium() {
        return new UserCriterion(UserField.ATTRIBUTE, Condition.of("status", DataType.STRING, Operator.EXACT_MATCH,
                "Premium"));
    }

    private static EventCriterion purchase(Frequency frequency) {
        return new EventCriterion(EventKind.ECOMMERCE, "purchase", null, List.of(), frequency, null);
    }
}
