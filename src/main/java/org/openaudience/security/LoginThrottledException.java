package org.openaudience.security;

import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/**
 * A login refused without looking at the account, because its client address failed to log in too often lately
 * (whatever emails it tried). The login page says how long to wait.
 */
public class LoginThrottledException extends AuthenticationException {

    private final long minutesToWait;

    public LoginThrottledException(Duration wait) {
        super("Too many failed logins from this address");
        this.minutesToWait = Math.max(1, (wait.toSeconds() + 59) / 60);
    }

    /** Whole minutes, rounded up, at least 1. */
    public long minutesToWait() {
        return minutesToWait;
    }
}
