package org.openaudience.output;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import org.openaudience.abtest.AbTest;
import org.openaudience.abtest.AbTestService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends connections' batches (PRODUCT.md §3.7). At-least-once and in order: a batch is sent first and its cursor
 * moved after, so a crash in between sends it again and nothing is skipped; each connection is worked by one thread
 * at a time. A failed attempt is retried after an exponential backoff with jitter; after the output's number of
 * attempts the connection is Faulted and waits for Resume, which continues from the cursor. All state is in the
 * database, so a restart continues where delivery stopped.
 */
@Component
public class DeliveryWorker {

    /** Batches one connection may send in a row before others get their turn. */
    static final int BATCHES_PER_TURN = 20;

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final ConnectionStore store;
    private final OutputRepository outputs;
    private final NextBatch nextBatch;
    private final AbTestService abTests;
    private final OutboundRows outbound;
    private final Map<OutputKind, Sender> senders;
    private final Clock clock;
    private final long pollIntervalMs;
    private final int threads;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService scheduler;
    private ExecutorService pool;

    DeliveryWorker(ConnectionStore store, OutputRepository outputs, NextBatch nextBatch, AbTestService abTests,
                   OutboundRows outbound, List<Sender> senders, Clock clock,
                   @Value("${openaudience.delivery.poll-interval-ms}") long pollIntervalMs,
                   @Value("${openaudience.delivery.threads}") int threads,
                   @Value("${openaudience.delivery.backoff-base}") Duration backoffBase,
                   @Value("${openaudience.delivery.backoff-cap}") Duration backoffCap) {
        this.store = store;
        this.outputs = outputs;
        this.nextBatch = nextBatch;
        this.abTests = abTests;
        this.outbound = outbound;
        this.senders = senders.stream().collect(Collectors.toMap(Sender::kind, Function.identity()));
        this.clock = clock;
        this.pollIntervalMs = pollIntervalMs;
        this.threads = threads;
        this.backoffBase = backoffBase;
        this.backoffCap = backoffCap;
    }

    /** Starts polling for due connections once the app is up (0 ms: tests drive {@link #deliverDue()}). */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (pollIntervalMs <= 0 || scheduler != null) {
            return;
        }
        pool = Executors.newFixedThreadPool(threads, named("delivery"));
        scheduler = Executors.newSingleThreadScheduledExecutor(named("delivery-poll"));
        scheduler.scheduleWithFixedDelay(this::dispatchDue, pollIntervalMs, pollIntervalMs, TimeUnit.MILLISECONDS);
        log.info("Delivery to outputs started: {} threads, polling every {} ms", threads, pollIntervalMs);
    }

    /** Stops sending; a batch in flight is either finished or sent again after the next start. */
    @PreDestroy
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            pool.shutdownNow();
            scheduler = null;
            pool = null;
        }
    }

    /** Works every due connection in the calling thread, one after the other (tests, and the poll without pool). */
    public void deliverDue() {
        for (long id : store.due(clock.instant(), 1000)) {
            deliverExclusively(id);
        }
    }

    private void dispatchDue() {
        try {
            for (long id : store.due(clock.instant(), 1000)) {
                // claimed before queueing, so a connection waiting in the pool's queue is not queued again
                if (inFlight.add(id)) {
                    try {
                        pool.execute(() -> deliverClaimed(id));
                    } catch (RejectedExecutionException stopping) {
                        inFlight.remove(id);
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            log.error("Looking for due output connections failed; trying again in {} ms", pollIntervalMs, e);
        }
    }

    private void deliverExclusively(long connectionId) {
        if (inFlight.add(connectionId)) {
            deliverClaimed(connectionId);
        }
    }

    private void deliverClaimed(long connectionId) {
        try {
            deliver(connectionId);
        } catch (RuntimeException e) {
            // not the output's fault (our database, a bug): logged, and tried again on the next poll
            log.error("Delivery of output connection {} failed", connectionId, e);
        } finally {
            inFlight.remove(connectionId);
        }
    }

    /** Sends up to {@link #BATCHES_PER_TURN} batches of one connection, stopping at the first failure. */
    void deliver(long connectionId) {
        for (int turn = 0; turn < BATCHES_PER_TURN; turn++) {
            Instant now = clock.instant();
            Optional<DeliveryState> found = store.state(connectionId);
            if (found.isEmpty() || found.get().status() != ConnectionStatus.SENDING
                    || found.get().nextAttemptAt().isAfter(now)) {
                return; // disconnected, paused, faulted, or waiting out a backoff
            }
            DeliveryState state = found.get();
            Optional<Output> output = outputs.findById(state.outputId());
            Optional<LongPredicate> inVariation = variationFilter(state);
            if (output.isEmpty() || inVariation.isEmpty()) {
                return; // deleted meanwhile; the connection row goes with it
            }
            NextBatch.Batch batch = nextBatch.pick(state, output.get().batchSize(), inVariation.get(), now);
            if (batch.members().isEmpty()) {
                if (!batch.movesFrom(state) || !store.advance(state, batch.phase(), batch.snapshotAfterMpid(),
                        batch.changeAfterId(), null, now) || batch.exhausted()) {
                    return;
                }
                continue;
            }
            if (state.pendingTo() == null && !store.pin(state, batch.end())) {
                return; // moved by someone else meanwhile; the next poll reads it afresh
            }
            if (!send(state, output.get(), batch) || batch.exhausted()) {
                return;
            }
        }
    }

    private boolean send(DeliveryState state, Output output, NextBatch.Batch batch) {
        long sequence = state.batchesSent() + 1;
        Delivery delivery = new Delivery("c" + state.id() + "-" + sequence, sequence, state.id(), state.audienceId(),
                state.audienceName(), state.externalName(), state.variationName(), batch.members());
        String failure;
        try {
            String detail = senders.get(output.kind()).send(output, delivery);
            boolean moved = store.advance(state, batch.phase(), batch.snapshotAfterMpid(), batch.changeAfterId(),
                    delivery, clock.instant());
            outbound.delivered(state, output, delivery, detail);
            return moved;
        } catch (DeliveryFailure refused) {
            if (Thread.currentThread().isInterrupted()) {
                return false; // stopping: not the output's failure; the batch is sent again after the restart
            }
            failure = refused.getMessage();
        } catch (RuntimeException unexpected) {
            // counted like any failure, so the connection shows it and faults instead of retrying unseen forever
            log.error("Delivery {} to output \"{}\" failed unexpectedly", delivery.deliveryId(), output.name(),
                    unexpected);
            failure = "Internal error: " + unexpected;
        }
        int attempt = state.failedAttempts() + 1;
        boolean faults = attempt >= output.maxAttempts();
        Instant failedAt = clock.instant(); // the backoff counts from the failure, not from before a slow request
        store.recordFailure(state.id(), failure, output.maxAttempts(), failedAt, failedAt.plus(backoff(attempt)));
        log.warn("Delivery {} to output \"{}\" failed (attempt {} of {}{}): {}", delivery.deliveryId(),
                output.name(), attempt, output.maxAttempts(), faults ? ", now Faulted" : "", failure);
        outbound.failed(state, output, delivery, failure, attempt, faults);
        return false;
    }

    /** Exponential (base × 2^(attempt−1), capped) with jitter: a random wait between half of it and all of it. */
    Duration backoff(int attempt) {
        long cap = backoffCap.toMillis();
        long exponential = Math.min(cap, backoffBase.toMillis() << Math.min(attempt - 1, 30));
        long half = Math.max(exponential / 2, 1);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(exponential - half + 1));
    }

    private Optional<LongPredicate> variationFilter(DeliveryState state) {
        if (state.variation() == null) {
            return Optional.of(mpid -> true);
        }
        Optional<AbTest> test = abTests.frozenTest(state.audienceId());
        int position = state.variation();
        return test.map(frozen -> mpid -> frozen.variationOf(mpid).position() == position);
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
