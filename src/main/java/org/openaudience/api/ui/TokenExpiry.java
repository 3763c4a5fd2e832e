package org.openaudience.api.ui;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a new token lives. 90 days is the default: long enough for a pipeline to run a quarter without attention,
 * short enough that a forgotten token stops by itself. "No expiry" is there for service accounts, on purpose.
 */
enum TokenExpiry {
    DAYS_30("30 days", Duration.ofDays(30)),
    DAYS_90("90 days", Duration.ofDays(90)),
    YEAR("1 year", Duration.ofDays(365)),
    NEVER("No expiry", null);

    static final TokenExpiry DEFAULT = DAYS_90;

    private final String label;
    private final Duration lifetime;

    TokenExpiry(String label, Duration lifetime) {
        this.label = label;
        this.lifetime = lifetime;
    }

    String label() {
        return label;
    }

    /** When a token created now expires, or null for never. */
    Instant expiresAt(Instant now) {
        return lifetime == null ? null : now.plus(lifetime);
    }
}
