package org.openaudience.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move forward by hand (lockout expiry, audit times). Starts at the real time. */
public class MutableClock extends Clock {

    private volatile Instant now = realNow();

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    public void reset() {
        now = realNow();
    }

    /** Microseconds, as MariaDB's DATETIME(6) keeps them, so stored times compare equal. */
    private static Instant realNow() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
