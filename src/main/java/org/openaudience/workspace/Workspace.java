package org.openaudience.workspace;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/** The container of a team's data: inputs, profiles, events, catalog, audiences and outputs. */
@Table("workspace")
public record Workspace(@Id Long id, String name, Instant createdAt, @Version Integer version) {

    public static final int MAX_NAME_LENGTH = 100;

    static Workspace create(String name, Instant now) {
        return new Workspace(null, name, now, null);
    }

    Workspace renamedTo(String newName) {
        return new Workspace(id, newName, createdAt, version);
    }
}
