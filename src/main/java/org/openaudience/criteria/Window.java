package org.openaudience.criteria;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The time window of an event criterion, in UTC, relative to the calculation time. A day is 24 hours back from
 * the calculation time; {@code before} excludes its date, {@code after} and {@code between} include theirs.
 * Every window is a half-open interval [from, to).
 */
public sealed interface Window {

    /** The default window: the last 30 days. */
    Window DEFAULT = new LastDays(30);

    Instant from(Instant now);

    Instant to(Instant now);

    default boolean contains(Instant time, Instant now) {
        return !time.isBefore(from(now)) && time.isBefore(to(now));
    }

    /** Events up to the calculation time; the future is not counted. */
    static Instant endOf(Instant now) {
        return now.plusMillis(1);
    }

    record LastDays(int days) implements Window {
        public Instant from(Instant now) {
            return now.minus(Duration.ofDays(days));
        }

        public Instant to(Instant now) {
            return endOf(now);
        }
    }

    record LastHours(int hours) implements Window {
        public Instant from(Instant now) {
            return now.minus(Duration.ofHours(hours));
        }

        public Instant to(Instant now) {
            return endOf(now);
        }
    }

    /** Between {@code newest} and {@code oldest} days ago, e.g. 7 to 14 days ago. */
    record DaysAgo(int newest, int oldest) implements Window {
        public Instant from(Instant now) {
            return now.minus(Duration.ofDays(oldest));
        }

        public Instant to(Instant now) {
            return now.minus(Duration.ofDays(newest)).plusMillis(1);
        }
    }

    record Before(LocalDate date) implements Window {
        public Instant from(Instant now) {
            return Instant.EPOCH;
        }

        public Instant to(Instant now) {
            return date.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
    }

    record After(LocalDate date) implements Window {
        public Instant from(Instant now) {
            return date.atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        public Instant to(Instant now) {
            return endOf(now);
        }
    }

    record On(LocalDate date) implements Window {
        public Instant from(Instant now) {
            return date.atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        public Instant to(Instant now) {
            return date.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
    }

    record Between(LocalDate first, LocalDate last) implements Window {
        public Instant from(Instant now) {
            return first.atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        public Instant to(Instant now) {
            return last.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
    }
}
