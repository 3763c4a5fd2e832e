package org.openaudience.calculation;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.openaudience.criteria.ProfileScope.MpidRange;

/**
 * The buckets of one calculation step. Without a helper connection: one bucket after the other. With one, the helper
 * calculates the next bucket (finds and writes its members, in its own transaction) while the step's own connection
 * does another, so MariaDB uses a second core. Buckets are taken in order until the budget has passed (at least one
 * per connection); every bucket taken is done before the step ends. The caller commits the helper's transaction
 * before its own.
 */
final class BucketPipeline {

    /**
     * What a step did: buckets taken (consecutive), members written, the time its own thread spent on buckets, and how
     * long it waited for the helper's last one.
     */
    record Done(int taken, long found, long ownNanos, long helperWaitNanos) {
    }

    /** Finds and writes a bucket's members on the given connection (null: the step's own); returns the rows written. */
    @FunctionalInterface
    interface Bucket {
        int calculate(MpidRange bucket, Connection connection);
    }

    private final List<MpidRange> remaining;
    private final long budgetNanos;
    private final Connection helper;
    private final ExecutorService helpers;
    private final Bucket bucket;

    /** The helper's bucket in progress: its rows written. */
    private Future<Integer> helperBucket;
    private int dispatched;
    private long found;
    private long ownNanos;
    private long helperWaitNanos;

    BucketPipeline(List<MpidRange> remaining, long budgetNanos, Connection helper, ExecutorService helpers,
                   Bucket bucket) {
        this.remaining = remaining;
        this.budgetNanos = budgetNanos;
        this.helper = helper;
        this.helpers = helpers;
        this.bucket = bucket;
    }

    Done run() {
        long start = System.nanoTime();
        try {
            while (true) {
                if (helperBucket != null && helperBucket.isDone()) {
                    found += takeHelperResult();
                }
                if (helper != null && helperBucket == null && mayTakeMore(start)) {
                    MpidRange next = remaining.get(dispatched++);
                    helperBucket = helpers.submit(() -> bucket.calculate(next, helper));
                }
                if (mayTakeMore(start)) {
                    long began = System.nanoTime();
                    found += bucket.calculate(remaining.get(dispatched++), null);
                    ownNanos += System.nanoTime() - began;
                } else if (helperBucket != null) {
                    long began = System.nanoTime();
                    found += takeHelperResult();
                    helperWaitNanos += System.nanoTime() - began;
                } else {
                    return new Done(dispatched, found, ownNanos, helperWaitNanos);
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
        Future<Integer> running = helperBucket;
        helperBucket = null;
        try {
            return running.get();
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
