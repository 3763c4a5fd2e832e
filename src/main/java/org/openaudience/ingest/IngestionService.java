package org.openaudience.ingest;

import org.openaudience.base.ForegroundLoad;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.openaudience.calculation.ProfilesTouched;
import org.openaudience.catalog.CatalogWriter;
import org.openaudience.criteria.ProfileFacts;
import org.openaudience.event.EventStore;
import org.openaudience.event.NewEvent;
import org.openaudience.input.Input;
import org.openaudience.livestream.LiveStreamHub;
import org.openaudience.livestream.StreamEvent;
import org.openaudience.profile.IdentityClaim;
import org.openaudience.profile.IdentityClaimLostException;
import org.openaudience.profile.IdentityResolver;
import org.openaudience.profile.ProfileChange;
import org.openaudience.profile.ProfileWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Stores a request's batches in one MariaDB transaction: journal, profiles, events, catalog. When it returns, the
 * data is committed and durable, so the API may answer 202; when it throws, nothing of the request was written.
 * Concurrent requests settle through unique keys: a request that loses a race (an identity or source_request_id
 * committed first by another, or a deadlock) rolls back whole and runs again against what the winner committed.
 */
@Service
public class IngestionService {

    /** Each attempt after a lost race finds the winner's rows, so a few suffice; the bound keeps a bug from spinning. */
    static final int MAX_ATTEMPTS = 10;
    /** No new attempt after this long (a lock wait timeout alone takes 50 s): the client retries a 500 itself. */
    static final java.time.Duration RETRY_WINDOW = java.time.Duration.ofSeconds(20);

    private static final Logger log = LoggerFactory.getLogger(IngestionService.class);

    private final TransactionTemplate transactions;
    private final BatchJournal journal;
    private final IdentityResolver identities;
    private final ProfileWriter profiles;
    private final EventStore events;
    private final CatalogWriter catalog;
    private final LiveStreamHub liveStream;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;
    private final ForegroundLoad load;

    IngestionService(PlatformTransactionManager transactionManager, BatchJournal journal, IdentityResolver identities,
                     ProfileWriter profiles, EventStore events, CatalogWriter catalog, LiveStreamHub liveStream,
                     ApplicationEventPublisher publisher, Clock clock, ForegroundLoad load) {
        this.load = load;
        this.transactions = new TransactionTemplate(transactionManager);
        // locking reads lock only rows that exist (no gap locks between new users' identities), and plain reads see
        // what concurrent requests committed; the unique keys and row locks decide every race
        this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.identities = identities;
        this.liveStream = liveStream;
        this.publisher = publisher;
        this.journal = journal;
        this.profiles = profiles;
        this.events = events;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Stores the batches, retrying a lost race; when it throws, nothing of the request is stored. */
    public IngestResult ingest(Input input, List<IncomingBatch> batches) {
        load.working();
        long deadline = System.nanoTime() + RETRY_WINDOW.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> ingestOnce(input, batches));
            } catch (IdentityClaimLostException | DuplicateKeyException | PessimisticLockingFailureException e) {
                if (attempt >= MAX_ATTEMPTS || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Ingestion into workspace " + input.workspaceId() + " lost "
                            + attempt + " races in a row", e);
                }
                log.debug("Ingestion attempt {} for input {} lost a race ({}); retrying", attempt, input.id(),
                        e.getMessage());
                pause(attempt);
            }
        }
    }

    /** A short random pause, so requests that collided do not collide again in lockstep. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * attempt + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying ingestion", e);
        }
    }

    private IngestResult ingestOnce(Input input, List<IncomingBatch> batches) {
        Instant now = clock.instant();
        long workspaceId = input.workspaceId();
        List<IncomingBatch> fresh = withoutDuplicates(input.id(), batches);
        IdentityResolver.Resolution resolution = identities.resolve(workspaceId, fresh.stream()
                .map(batch -> new IdentityClaim(batch.mpid(), batch.identities(), identitiesChangedTo(batch))).toList());
        List<Long> mpids = resolution.mpids();

        List<Long> batchIds = journal.append(workspaceId, input.id(), now, java.util.stream.IntStream
                .range(0, fresh.size())
                .mapToObj(i -> new BatchJournal.Entry(mpids.get(i), fresh.get(i).sourceRequestId(),
                        fresh.get(i).rawJson()))
                .toList());

        List<ProfileChange> changes = new ArrayList<>();
        List<NewEvent> newEvents = new ArrayList<>();
        CatalogWriter.Observations observations = new CatalogWriter.Observations();
        // identity, not equality: two identical batches without source_request_id are two batches
        Map<IncomingBatch, Long> mpidOfBatch = new IdentityHashMap<>();
        for (int i = 0; i < fresh.size(); i++) {
            IncomingBatch batch = fresh.get(i);
            long mpid = mpids.get(i);
            mpidOfBatch.put(batch, mpid);
            changes.add(profileChange(mpid, batch));
            for (IncomingEvent event : batch.events()) {
                newEvents.add(new NewEvent(mpid, input.id(), batchIds.get(i), event.type().wireName(),
                        event.key(), event.customEventType(), batch.platform(), batch.environment(), event.time(),
                        now, event.attributes().toString(), event.extraData().toString()));
                observations.event(event.type().wireName(), event.key(), event.customEventType(), event.time(),
                        event.attributes());
            }
            observations.userAttributes(batch.time(), batch.userAttributes());
        }
        // events first: they lock no row another request waits for, while the profile rows locked next stay locked
        // until the commit — so the request's biggest write no longer lengthens other requests' waits for its users
        events.insert(workspaceId, newEvents);
        Set<Long> newFacts = changes.isEmpty() ? Set.of() : profiles.apply(workspaceId, changes, resolution, now);
        catalog.record(workspaceId, input.id(), observations, now);
        if (!mpidOfBatch.isEmpty()) {
            // real-time audience membership re-evaluates these once the data is committed (transactional listener)
            publisher.publishEvent(new ProfilesTouched(workspaceId, new HashSet<>(mpidOfBatch.values()), newFacts,
                    touchedEvents(input.id(), fresh, mpidOfBatch)));
        }
        if (liveStream.isWatched(workspaceId)) {
            List<StreamEvent> rows = StreamRows.of(input, fresh, mpids, now);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    // the request is stored: a failure to show it live must not turn its 202 into an error
                    try {
                        liveStream.publish(rows);
                    } catch (RuntimeException e) {
                        log.error("Live Stream could not show {} stored events of input {}", rows.size(),
                                input.id(), e);
                    }
                }
            });
        }
        List<Long> resultMpids = batches.stream().map(mpidOfBatch::get).toList();
        return new IngestResult(mpidOfBatch.size(), batches.size() - mpidOfBatch.size(), newEvents.size(),
                resultMpids);
    }

    /**
     * Batches whose source_request_id this input sent before, or repeats within this request, are acknowledged only.
     * A concurrent request committing the same id meanwhile makes the journal insert fail on its unique key; the
     * attempt then rolls back whole and the next one acknowledges that batch as a duplicate.
     */
    private List<IncomingBatch> withoutDuplicates(long inputId, List<IncomingBatch> batches) {
        Set<String> accepted = journal.alreadyAccepted(inputId, batches.stream()
                .map(IncomingBatch::sourceRequestId).filter(java.util.Objects::nonNull).distinct().toList());
        Set<String> seen = new HashSet<>(accepted);
        return batches.stream()
                .filter(batch -> batch.sourceRequestId() == null || seen.add(batch.sourceRequestId()))
                .toList();
    }

    /**
     * The new events by key, as the evaluator reads them: real time re-evaluates a profile for an audience only when
     * one of its new events could count for one of the audience's event criteria.
     */
    private static Map<String, List<ProfilesTouched.TouchedEvent>> touchedEvents(
            long inputId, List<IncomingBatch> batches, Map<IncomingBatch, Long> mpidOfBatch) {
        Map<String, List<ProfilesTouched.TouchedEvent>> byKey = new HashMap<>();
        // a request repeats a few names: each is folded once (folding every event's took 3 % of a request's time)
        Map<String, String> folded = new HashMap<>();
        for (IncomingBatch batch : batches) {
            for (IncomingEvent event : batch.events()) {
                String type = event.type().wireName();
                String key = folded.computeIfAbsent(type + '\u0000' + event.key(),
                        sent -> ProfilesTouched.eventKey(type, event.key()));
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new ProfilesTouched.TouchedEvent(
                        mpidOfBatch.get(batch), new ProfileFacts.EventFact(type, event.key(), event.customEventType(),
                        inputId, event.time(), event.attributes())));
            }
        }
        return byKey;
    }

    /**
     * The profile changes of a batch: attribute and identity change events first, in order, then the batch's own
     * attributes and identities, which describe the user as of the batch.
     */
    private static ProfileChange profileChange(long mpid, IncomingBatch batch) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        Map<String, String> identitiesSet = new LinkedHashMap<>();
        Map<String, String> identitiesRemoved = new LinkedHashMap<>();
        Instant first = batch.time();
        Instant last = batch.time();
        Double latitude = null;
        Double longitude = null;
        for (IncomingEvent event : batch.events()) {
            first = event.time().isBefore(first) ? event.time() : first;
            last = event.time().isAfter(last) ? event.time() : last;
            if (event.latitude() != null) {
                latitude = event.latitude();
                longitude = event.longitude();
            }
            switch (event.type()) {
                case USER_ATTRIBUTE_CHANGE -> patch.set(event.attributeChange().name(),
                        event.attributeChange().value());
                case USER_IDENTITY_CHANGE -> applyIdentityChange(event.identityChange(), identitiesSet,
                        identitiesRemoved);
                default -> {
                }
            }
        }
        batch.deletedUserAttributes().forEach(patch::putNull);
        patch.setAll(batch.userAttributes());
        batch.identities().forEach((type, value) -> {
            identitiesSet.put(type, value);
            identitiesRemoved.remove(type);
        });
        return new ProfileChange(mpid, first, last, patch, identitiesSet, identitiesRemoved, deviceInfo(batch),
                batch.platform(), latitude, longitude);
    }

    private static void applyIdentityChange(IncomingEvent.IdentityChange change, Map<String, String> set,
                                            Map<String, String> removed) {
        if (change.removed() != null) {
            removed.put(change.removed().type(), change.removed().value());
            set.remove(change.removed().type());
        }
        if (change.added() != null) {
            set.put(change.added().type(), change.added().value());
            removed.remove(change.added().type());
        }
    }

    /** The identities a batch's user_identity_change events give the user (the last one of each type). */
    private static Map<String, String> identitiesChangedTo(IncomingBatch batch) {
        Map<String, String> set = new LinkedHashMap<>();
        Map<String, String> removed = new LinkedHashMap<>();
        batch.events().stream().filter(event -> event.type() == EventType.USER_IDENTITY_CHANGE)
                .forEach(event -> applyIdentityChange(event.identityChange(), set, removed));
        return set;
    }

    /** Device info without the device ids (those are identities) and without nulls. */
    static ObjectNode deviceInfo(IncomingBatch batch) {
        ObjectNode device = batch.deviceInfo().deepCopy();
        device.remove(BatchParser.DEVICE_ID_FIELDS);
        List<String> nulls = new ArrayList<>();
        device.fieldNames().forEachRemaining(name -> {
            if (device.get(name).isNull()) {
                nulls.add(name);
            }
        });
        device.remove(nulls);
        return device;
    }

}
