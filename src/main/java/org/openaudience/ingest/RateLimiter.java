package org.openaudience.ingest;

import java.time.Clock;
import org.openaudience.base.TokenBuckets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A token bucket per input, counted in batches: {@code rate} batches per second with one second of burst. A
 * refused request learns how many seconds to wait.
 */
@Component
public class RateLimiter {

    private final TokenBuckets<Long> buckets;

    RateLimiter(@Value("${openaudience.ingest.rate-limit-batches-per-second:10000}") double ratePerSecond,
                Clock clock) {
        this.buckets = new TokenBuckets<>(ratePerSecond, ratePerSecond, clock);
    }

    /** @return 0 when the batches may pass, else the seconds to wait before retrying */
    public long acquire(long inputId, int batches) {
        return buckets.acquire(inputId, batches);
    }
}
