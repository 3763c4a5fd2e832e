package org.openaudience.base;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One token bucket per key: {@code ratePerSecond} tokens a second, holding at most {@code burst}. A refused caller
 * learns how many whole seconds to wait.
 */
public final class TokenBuckets<K> {

    private final double ratePerSecond;
    private final double burst;
    private final Clock clock;
    private final ConcurrentMap<K, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBuckets(double ratePerSecond, double burst, Clock clock) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /** @return 0 when the tokens were taken, else the seconds to wait before retrying */
    public long acquire(K key, int tokens) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, clock.millis()));
        synchronized (bucket) {
            long now = clock.millis();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) * ratePerSecond / 1000.0);
            bucket.updatedAt = now;
            if (bucket.tokens >= tokens) {
                bucket.tokens -= tokens;
                return 0;
            }
            double missing = Math.min(tokens, burst) - bucket.tokens;
            return Math.max(1, (long) Math.ceil(missing / ratePerSecond));
        }
    }

    /** Forgets every bucket (all keys start full again). */
    public void clear() {
        buckets.clear();
    }

    private static final class Bucket {
        double tokens;
        long updatedAt;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }
    }
}
