package org.openaudience.calculation;

import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import org.openaudience.criteria.ProfileScope.MpidRange;

/**
 * The buckets of one calculation step. Without a helper connection: query a bucket, write its members, next. With
 * one, the helper queries the next bucket while the step's own connection writes members or queries another, so
 * MariaDB uses a second core: for a large audience writing members costs more than finding them, for a small one
 * the queries overlap. Buckets are taken in order until the budget has passed (at least one per connection); every
 * bucket queried is written before the step ends.
 */
final class BucketPipeline {

    /** What a step did: buckets taken (consecutive), members written, and where its own thread spent the time. */
    record Done(int taken, long found, long queryNanos, long writeNanos) {
    }

    private final List<MpidRange> remaining;
    private final long budgetNanos;
    private final Connection helper;
    private final ExecutorService helpers;
    /** A bucket's members, read on the given connection (null: the step's own). */
    private final BiFunction<MpidRange, Connection, List<Long>> query;
    /** Writes members in the step's transaction; returns the rows written. */
    private final ToIntFunction<List<Long>> insert;

    private final Deque<List<Long>> pending = new ArrayDeque<>();
    private Future<List<Long>> helperQuery;
    private int dispatched;
    private long found;
    private long queryNanos;
    private long writeNanos;

    BucketPipeline(List<MpidRange> remaining, long budgetNanos, Connection helper, ExecutorService helpers,
                   BiFunction<MpidRange, Connection, List<Long>> query, ToIntFunction<List<Long>> insert) {
        this.remaining = remaining;
        this.budgetNanos = budgetNanos;
        this.helper = helper;
        this.helpers = helpers;
        this.query = query;
        this.insert = insert;
    }

    Done run() {
        long start = System.nanoTime();
        try {
            while (true) {
                if (helperQuery != null && helperQuery.isDone()) {
                    pending.add(takeHelperResult());
                }
                if (helper != null && helperQuery == null && mayTakeMore(start)) {
                    MpidRange bucket = remaining.get(dispatched++);
                    helperQuery = helpers.submit(() -> query.apply(bucket, helper));
                }
                if (!pending.isEmpty()) {
                    long began = System.nanoTime();
                    found += insert.applyAsInt(pending.poll());
                    writeNanos += System.nanoTime() - began;
                } else if (mayTakeMore(start)) {
                    long began = System.nanoTime();
                    pending.add(query.apply(remaining.get(dispatched++), null));
                    queryNanos += System.nanoTime() - began;
                } else if (helperQuery != null) {
                    long began = System.nanoTime();
                    pending.add(takeHelperResult());
                    queryNanos += System.nanoTime() - began;
                } else {
                    return new Done(dispatched, found, queryNanos, writeNanos);
                }
            }
        } catch (RuntimeException e) {
            awaitHelperAfter(e);
            throw e;
        }
    }

    /** More buckets remain and the budget allows: at least one per connection, then until the budget has passed. */
    private boolean mayTakeMore(long start) {
        if (dispatched >= remaining.size()) {
            return false;
        }
        int atLeast = helper != null ? 2 : 1;
        return dispatched < atLeast || System.nanoTime() - start < budgetNanos;
    }

    private List<Long> takeHelperResult() {
        Future<List<Long>> query = helperQuery;
        helperQuery = null;
        try {
            return query.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("A calculation query failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while a calculation query ran", e);
        }
    }

    /** The helper connection is closed after the step: its statement must have ended first. */
    private void awaitHelperAfter(RuntimeException failure) {
        if (helperQuery == null) {
            return;
        }
        try {
            helperQuery.get();
        } catch (InterruptedException also) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(also);
        } catch (ExecutionException | RuntimeException also) {
            failure.addSuppressed(also);
        }
    }
}
