package org.openaudience.calculation;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.openaudience.calculation.ProfilesTouched.TouchedEvent;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.EventCriterion;
import org.openaudience.criteria.Evaluator;

/**
 * Profiles of one workspace waiting for {@link RealTimeMembership}'s next round: in all, with new facts, and by event
 * key, with their new events while the round holds fewer than {@link #MAX_EVENTS}: a round delayed under heavy
 * ingestion then keeps MPIDs only (bounded by the profiles), and re-evaluates every profile that received an event of
 * a criterion's key.
 */
record Touched(Set<Long> mpids, Set<Long> withNewFacts, Map<String, Set<Long>> mpidsByKey,
               Map<String, Collection<TouchedEvent>> eventsByKey, AtomicInteger events, AtomicBoolean allEvents) {
    /** About 2.5 s of events at 20,000 a second; each holds its attributes. */
    static final int MAX_EVENTS = 50_000;

    Touched() {
        this(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(), new ConcurrentHashMap<>(),
                new ConcurrentHashMap<>(), new AtomicInteger(), new AtomicBoolean(true));
    }

    void add(Set<Long> more, Set<Long> moreWithNewFacts,
             Map<String, ? extends Collection<TouchedEvent>> moreByKey) {
        mpids.addAll(more);
        withNewFacts.addAll(moreWithNewFacts);
        moreByKey.forEach((key, newEvents) -> {
            Set<Long> ids = mpidsByKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
            newEvents.forEach(event -> ids.add(event.mpid()));
            if (allEvents.get() && events.addAndGet(newEvents.size()) <= MAX_EVENTS) {
                eventsByKey.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).addAll(newEvents);
            } else {
                allEvents.set(false);
                eventsByKey.clear();
            }
        });
    }

    void add(Touched more) {
        if (!more.allEvents().get()) {
            allEvents.set(false);
            eventsByKey.clear();
        }
        add(more.mpids(), more.withNewFacts(), more.eventsByKey());
        more.mpidsByKey().forEach((key, ids) -> mpidsByKey.computeIfAbsent(key,
                k -> ConcurrentHashMap.newKeySet()).addAll(ids));
    }

    /** The profiles that received events of this key, and only those a criterion could count while known. */
    Collection<Long> candidates(String key, EventCriterion criterion, Definition definition, Instant now) {
        if (!allEvents.get()) {
            return mpidsByKey.getOrDefault(key, Set.of());
        }
        Set<Long> counted = new HashSet<>();
        for (TouchedEvent touchedEvent : eventsByKey.getOrDefault(key, List.of())) {
            if (!counted.contains(touchedEvent.mpid())
                    && Evaluator.couldCount(criterion, definition, touchedEvent.event(), now)) {
                counted.add(touchedEvent.mpid());
            }
        }
        return counted;
    }
}
