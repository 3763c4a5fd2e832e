package org.openaudience.audience;

import java.time.Instant;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/** An audience and its current definition; every saved version is kept beside it. Members: see calculation. */
@Table("audience")
public record Audience(@Id Long id, Long workspaceId, String name, String externalName, AudienceStatus status,
                       String definitionJson, int definitionVersion,
                       String createdBy, Instant createdAt, String updatedBy, Instant updatedAt,
                       @Version Integer version) {

    public Definition definition() {
        return DefinitionJson.read(definitionJson);
    }

    Audience withDefinition(Definition definition, String by, Instant now) {
        return new Audience(id, workspaceId, name, externalName, status, DefinitionJson.write(definition),
                definitionVersion + 1, createdBy, createdAt, by, now, version);
    }

    Audience withStatus(AudienceStatus newStatus, String by, Instant now) {
        return new Audience(id, workspaceId, name, externalName, newStatus, definitionJson, definitionVersion,
                createdBy, createdAt, by, now, version);
    }
}
