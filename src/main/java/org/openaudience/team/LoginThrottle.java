package org.openaudience.team;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Failed logins per client address in a sliding window ({@link LoginPolicy}): the account lockout stops guessing one
 * account's password, this stops one client from trying many accounts. Kept in memory: a restart forgets it, and at
 * most {@value #MAX_ADDRESSES} addresses are followed (those with no failure in the window are dropped first).
 */
@Component
class LoginThrottle {

    static final int MAX_ADDRESSES = 10_000;

    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final LoginPolicy policy;
    private final Clock clock;

    LoginThrottle(LoginPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** How long the address must wait before it may try again; empty when it may try now (or is unknown). */
    Optional<Duration> waitFor(String address) {
        if (address == null) {
            return Optional.empty();
        }
        Deque<Instant> times = failures.get(address);
        if (times == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        synchronized (times) {
            forgetOld(times, now);
            if (times.size() < policy.maxFailedLoginsPerAddress()) {
                return Optional.empty();
            }
            return Optional.of(Duration.between(now, times.peekFirst().plus(policy.addressThrottleWindow())));
        }
    }

    void recordFailure(String address) {
        if (address == null) {
            return;
        }
        Instant now = clock.instant();
        if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
            failures.values().removeIf(times -> {
                synchronized (times) {
                    forgetOld(times, now);
                    return times.isEmpty();
                }
            });
            if (failures.size() >= MAX_ADDRESSES) {
                // all of them failed lately: keep following those, and this one is not followed
                return;
            }
        }
        Deque<Instant> times = failures.computeIfAbsent(address, key -> new ArrayDeque<>());
        synchronized (times) {
            forgetOld(times, now);
            times.addLast(now);
        }
    }

    private void forgetOld(Deque<Instant> times, Instant now) {
        Instant oldestKept = now.minus(policy.addressThrottleWindow());
        // a clock moved back (tests) makes later entries look older; whatever is not in the window goes
        times.removeIf(time -> !time.isAfter(oldestKept) || time.isAfter(now));
    }
}
