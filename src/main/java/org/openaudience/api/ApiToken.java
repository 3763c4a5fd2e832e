package org.openaudience.api;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A member's personal token for the REST API. Only the SHA-256 of the secret is stored; {@code tokenPrefix} is the
 * start of the secret, shown so a member can tell their tokens apart.
 */
@Table("api_token")
public record ApiToken(@Id Long id, long memberId, String name, String tokenPrefix, String tokenHash,
                       Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt,
                       @Version Integer version) {

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Active, expired or revoked, as the token page shows it. */
    public String state(Instant now) {
        return revoked() ? "Revoked" : expiredAt(now) ? "Expired" : "Active";
    }

    ApiToken usedAt(Instant now) {
        return new ApiToken(id, memberId, name, tokenPrefix, tokenHash, createdAt, expiresAt, now, revokedAt, version);
    }

    ApiToken revokedAt(Instant now) {
        return new ApiToken(id, memberId, name, tokenPrefix, tokenHash, createdAt, expiresAt, lastUsedAt, now, version);
    }
}
