package org.openaudience.ingest;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A token bucket per input, counted in batches: {@code rate} batches per second with one second of burst. A
 * refused request learns how many seconds to wait.
 */
@Component
public class RateLimiter {

    private final double ratePerSecond;
    private final Clock clock;
    private final ConcurrentMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(@Value("${openaudience.ingest.rate-limit-batches-per-second:10000}") double ratePerSecond,
                Clock clock) {
        this.ratePerSecond = ratePerSecond;
        this.clock = clock;
    }

    /** @return 0 when the batches may pass, else the seconds to wait before retrying */
    public long acquire(long inputId, int batches) {
        Bucket bucket = buckets.computeIfAbsent(inputId, id -> new Bucket(ratePerSecond, clock.millis()));
        synchronized (bucket) {
            long now = clock.millis();
            bucket.tokens = Math.min(ratePerSecond, bucket.tokens + (now - bucket.updatedAt) * ratePerSecond / 1000.0);
            bucket.updatedAt = now;
            if (bucket.tokens >= batches) {
                bucket.tokens -= batches;
                return 0;
            }
            double missing = Math.min(batches, ratePerSecond) - bucket.tokens;
            return Math.max(1, (long) Math.ceil(missing / ratePerSecond));
        }
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
