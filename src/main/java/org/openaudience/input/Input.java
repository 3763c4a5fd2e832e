package org.openaudience.input;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/** A source of events in a workspace, identified on the Events API by its key and a secret stored only hashed. */
@Table("input")
public record Input(@Id Long id, Long workspaceId, String name, Platform platform, String apiKey, String secretHash,
                    boolean enabled, Instant createdAt, Instant secretRotatedAt, @Version Integer version) {

    public static final int MAX_NAME_LENGTH = 100;

    static Input create(long workspaceId, String name, Platform platform, String apiKey, String secretHash,
                        Instant now) {
        return new Input(null, workspaceId, name, platform, apiKey, secretHash, true, now, now, null);
    }

    Input withSecretHash(String newHash, Instant now) {
        return new Input(id, workspaceId, name, platform, apiKey, newHash, enabled, createdAt, now, version);
    }

    Input withEnabled(boolean newEnabled) {
        return new Input(id, workspaceId, name, platform, apiKey, secretHash, newEnabled, createdAt, secretRotatedAt,
                version);
    }
}
