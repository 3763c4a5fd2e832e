package org.openaudience.calculation;

import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import org.openaudience.criteria.ProfileScope.MpidRange;

/**
 * The buckets of one calculation step. Without a helper connection: query a bucket, write its members, next. With
 * one, the helper queries and writes the next bucket in its own transaction while the step's own connection does
 * another, so MariaDB uses a second core for both: for a large audience writing members costs more than finding
 * them, for a small one the queries overlap. Buckets are taken in order until the budget has passed (at least one per
 * connection); every bucket queried is written before the step ends. The caller commits the helper's transaction
 * before its own.
 */
final class BucketPipeline {

    /**
     * What a step did: buckets taken (consecutive), members written, where its own thread spent the time, and how
     * long it waited for the helper's last bucket.
     */
    record Done(int taken, long found, long queryNanos, long writeNanos, long helperWaitNanos) {
    }

    /** Writes a bucket's members on the given connection (null: the step's own); returns the rows written. */
    @FunctionalInterface
    interface Writer {
        int write(MpidRange bucket, List<Long> members, Connection connection);
    }

    private record Queried(MpidRange bucket, List<Long> members) {
    }

    private final List<MpidRange> remaining;
    private final long budgetNanos;
    private final Connection helper;
    private final ExecutorService helpers;
    /** A bucket's members, read on the given connection (null: the step's own). */
    private final BiFunction<MpidRange, Connection, List<Long>> query;
    private final Writer writer;

    private final Deque<Queried> pending = new ArrayDeque<>();
    /** The helper's bucket in progress: its rows written. */
    private Future<Integer> helperBucket;
    private int dispatched;
    private long found;
    private long queryNanos;
    private long writeNanos;
    private long helperWaitNanos;

    BucketPipeline(List<MpidRange> remaining, long budgetNanos, Connection helper, ExecutorService helpers,
                   BiFunction<MpidRange, Connection, List<Long>> query, Writer writer) {
        this.remaining = remaining;
        this.budgetNanos = budgetNanos;
        this.helper = helper;
        this.helpers = helpers;
        this.query = query;
        this.writer = writer;
    }

    Done run() {
        long start = System.nanoTime();
        try {
            while (true) {
                if (helperBucket != null && helperBucket.isDone()) {
                    found += takeHelperResult();
                }
                if (helper != null && helperBucket == null && mayTakeMore(start)) {
                    MpidRange bucket = remaining.get(dispatched++);
                    helperBucket = helpers.submit(() -> writer.write(bucket, query.apply(bucket, helper), helper));
                }
                if (!pending.isEmpty()) {
                    long began = System.nanoTime();
                    Queried queried = pending.poll();
                    found += writer.write(queried.bucket(), queried.members(), null);
                    writeNanos += System.nanoTime() - began;
                } else if (mayTakeMore(start)) {
                    long began = System.nanoTime();
                    MpidRange bucket = remaining.get(dispatched++);
                    pending.add(new Queried(bucket, query.apply(bucket, null)));
                    queryNanos += System.nanoTime() - began;
                } else if (helperBucket != null) {
                    long began = System.nanoTime();
                    found += takeHelperResult();
                    helperWaitNanos += System.nanoTime() - began;
                } else {
                    return new Done(dispatched, found, queryNanos, writeNanos, helperWaitNanos);
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

    private int takeHelperResult() {
        Future<Integer> bucket = helperBucket;
        helperBucket = null;
        try {
            return bucket.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("A calculation bucket failed on the second connection", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while a calculation bucket ran", e);
        }
    }

    /** The helper connection is closed after the step: its statement must have ended first. */
    private void awaitHelperAfter(RuntimeException failure) {
        if (helperBucket == null) {
            return;
        }
        try {
            helperBucket.get();
        } catch (InterruptedException also) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(also);
        } catch (ExecutionException | RuntimeException also) {
            failure.addSuppressed(also);
        }
    }
}
