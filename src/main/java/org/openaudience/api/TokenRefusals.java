package org.openaudience.api;

import java.time.Clock;
import org.openaudience.base.TokenBuckets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Refused tokens per client address. Each refusal is audited, so a client sending made-up tokens in a loop would
 * fill the audit log: beyond {@code max-refused-tokens-per-minute} (in bursts of as many) refusals are answered 429
 * and not audited. Valid tokens from the same address are not affected.
 */
@Component
class TokenRefusals {

    private final TokenBuckets<String> perAddress;

    TokenRefusals(@Value("${openaudience.api.max-refused-tokens-per-minute:30}") double perMinute) {
        // the wall clock: a rate is about real seconds, also when tests move the app's time
        this.perAddress = new TokenBuckets<>(perMinute / 60.0, perMinute, Clock.systemUTC());
    }

    /** @return 0 when this refusal may be audited, else the seconds the address should wait */
    long count(String clientAddress) {
        return perAddress.acquire(clientAddress == null ? "" : clientAddress, 1);
    }

    /** For tests sharing one address: every address starts with a full allowance again. */
    void forgetAll() {
        perAddress.clear();
    }
}
