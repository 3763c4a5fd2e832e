package org.openaudience.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Real time re-evaluates a profile for an audience only when one of its new events could count for one of the
 * audience's event criteria ({@link Evaluator#couldCount}); this checks, on random definitions, profiles and events,
 * that an event none of them could count never changes the evaluator's verdict (it guards that the verdict reads
 * events through their counts alone). {@code CriteriaAgreementTest} checks the same against the SQL, which decides.
 */
class EventRelevanceTest {

    private static final List<Long> INPUTS = List.of(11L, 12L);

    @Test
    void where_new_events_only_add_a_profile_that_matches_still_matches_with_any_new_event() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Arrivals arrivals = new Arrivals(new Random(23), now);
        int onlyAdding = 0;
        int joined = 0;
        int leftElsewhere = 0;
        for (int i = 0; i < 20_000; i++) {
            Arrival arrival = arrivals.next(i);
            Definition definition = arrival.definition();
            boolean matched = Evaluator.evaluate(definition, arrival.before(), now).matches();
            boolean matches = Evaluator.evaluate(definition, arrival.after(), now).matches();
            if (Evaluator.newEventsOnlyAdd(definition)) {
                onlyAdding++;
                assertThat(!matched || matches).as("%s made a member of %s leave", arrival.event(),
                        DefinitionJson.write(definition)).isTrue();
                joined += !matched && matches ? 1 : 0;
            } else if (matched && !matches) {
                leftElsewhere++;
            }
        }
        // the rule holds for many definitions, lets profiles join, and the others do lose members to new events
        assertThat(onlyAdding).isGreaterThan(2_000);
        assertThat(joined).isGreaterThan(10);
        assertThat(leftElsewhere).isGreaterThan(10);
    }

    @Test
    void an_event_that_no_criterion_of_a_definition_could_count_never_changes_its_verdict() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Arrivals arrivals = new Arrivals(new Random(17), now);
        int irrelevant = 0;
        int relevantAndChanging = 0;
        for (int i = 0; i < 20_000; i++) {
            Arrival arrival = arrivals.next(i);
            Definition definition = arrival.definition();
            ProfileFacts.EventFact arriving = arrival.event();
            boolean changed = Evaluator.evaluate(definition, arrival.before(), now).matches()
                    != Evaluator.evaluate(definition, arrival.after(), now).matches();
            boolean couldCount = eventCriteria(definition.root()).stream()
                    .anyMatch(criterion -> Evaluator.couldCount(criterion, definition, arriving, now));
            if (!couldCount) {
                irrelevant++;
                assertThat(changed).as("%s changed the verdict of %s", arriving, DefinitionJson.write(definition))
                        .isFalse();
            } else if (changed) {
                relevantAndChanging++;
            }
        }
        // neither side of the rule is vacuous on this data
        assertThat(irrelevant).isGreaterThan(5_000);
        assertThat(relevantAndChanging).isGreaterThan(100);
    }

    /** A random definition, a random profile before one new event and after it. */
    record Arrival(Definition definition, ProfileFacts before, ProfileFacts.EventFact event, ProfileFacts after) {
    }

    /** Random arrivals; every fifth definition has groups of alternatives. */
    private static final class Arrivals {
        private final Random random;
        private final RandomProfiles profiles;
        private final RandomDefinitions definitions;

        Arrivals(Random random, Instant now) {
            this.random = random;
            this.profiles = new RandomProfiles(random, now);
            this.definitions = new RandomDefinitions(random, now, INPUTS, List.of());
        }

        Arrival next(int i) {
            Definition definition = i % 5 == 0 ? definitions.nextWithAlternatives() : definitions.next();
            List<ProfileFacts.EventFact> events = new ArrayList<>();
            for (int e = random.nextInt(15); e > 0; e--) {
                events.add(profiles.event(INPUTS.get(random.nextInt(INPUTS.size()))));
            }
            ProfileFacts before = profiles.facts(1, events);
            ProfileFacts.EventFact arriving = near(random, eventCriteria(definition.root()),
                    profiles.event(INPUTS.get(random.nextInt(INPUTS.size()))));
            List<ProfileFacts.EventFact> more = new ArrayList<>(events);
            more.add(arriving);
            ProfileFacts after = new ProfileFacts(1, before.userAttributes(), before.identities(),
                    before.deviceInfo(), before.platforms(), before.country(), before.region(), before.city(),
                    before.firstSeen(), before.lastSeen(), more);
            return new Arrival(definition, before, arriving, after);
        }
    }

    /**
     * Most random events miss a definition's keys: half of them take one of its criteria's kind and name, as sent or
     * in other capitals, keeping their random attributes, time and input.
     */
    static ProfileFacts.EventFact near(Random random, List<EventCriterion> criteria, ProfileFacts.EventFact event) {
        if (criteria.isEmpty() || random.nextBoolean()) {
            return event;
        }
        EventCriterion near = criteria.get(random.nextInt(criteria.size()));
        String key = random.nextBoolean() ? near.eventKey() : near.eventKey().toUpperCase(java.util.Locale.ROOT);
        return new ProfileFacts.EventFact(near.kind().eventType(), key, random.nextBoolean() ? near.customEventType()
                : event.customEventType(), event.inputId(), event.time(), event.attributes());
    }

    static List<EventCriterion> eventCriteria(Group group) {
        List<EventCriterion> found = new ArrayList<>();
        for (Group.Item item : group.items()) {
            if (item.node() instanceof Group inner) {
                found.addAll(eventCriteria(inner));
            } else if (item.node() instanceof EventCriterion event) {
                found.add(event);
            }
        }
        return found;
    }
}
