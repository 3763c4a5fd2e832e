package org.openaudience.team;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Lockout rule: {@code maxFailedLogins} wrong passwords in a row lock an account for {@code lockoutDuration}.
 */
@ConfigurationProperties("openaudience.security")
public record LoginPolicy(int maxFailedLogins, Duration lockoutDuration) {

    public LoginPolicy {
        if (maxFailedLogins <= 0) {
            maxFailedLogins = 5;
        }
        if (lockoutDuration == null) {
            lockoutDuration = Duration.ofMinutes(15);
        }
    }
}
