package org.openaudience.team;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Login rules. Per account: {@code maxFailedLogins} wrong passwords in a row lock it for {@code lockoutDuration}.
 * Per client address: {@code maxFailedLoginsPerAddress} failed logins within {@code addressThrottleWindow} (any
 * emails, known or not) refuse further logins from that address until the oldest of them is that old.
 */
@ConfigurationProperties("openaudience.security")
public record LoginPolicy(int maxFailedLogins, Duration lockoutDuration, int maxFailedLoginsPerAddress,
                          Duration addressThrottleWindow) {

    public LoginPolicy {
        if (maxFailedLogins <= 0) {
            maxFailedLogins = 5;
        }
        if (lockoutDuration == null) {
            lockoutDuration = Duration.ofMinutes(15);
        }
        if (maxFailedLoginsPerAddress <= 0) {
            maxFailedLoginsPerAddress = 20;
        }
        if (addressThrottleWindow == null) {
            addressThrottleWindow = Duration.ofMinutes(15);
        }
    }
}
