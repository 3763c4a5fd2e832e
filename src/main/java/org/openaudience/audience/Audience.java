package org.openaudience.audience;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/** An audience and its current definition; every saved version is kept beside it. Members: see calculation. */
@Table("audience")
public record Audience(@Id Long id, Long workspaceId, String name, String externalName, AudienceStatus status,
                       String definitionJson, int definitionVersion, String description,
                       @MappedCollection(idColumn = "audience_id") Set<AudienceTag> tags,
                       String createdBy, Instant createdAt, String updatedBy, Instant updatedAt,
                       @Version Integer version) {

    public Audience {
        description = description == null ? "" : description;
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }

    public Definition definition() {
        return DefinitionJson.read(definitionJson);
    }

    /** The tags, sorted. */
    public Set<String> tagNames() {
        return tags.stream().map(AudienceTag::tag).collect(Collectors.toCollection(TreeSet::new));
    }

    Audience withDefinition(Definition definition, String by, Instant now) {
        return new Audience(id, workspaceId, name, externalName, status, DefinitionJson.write(definition),
                definitionVersion + 1, description, tags, createdBy, createdAt, by, now, version);
    }

    Audience withStatus(AudienceStatus newStatus, String by, Instant now) {
        return new Audience(id, workspaceId, name, externalName, newStatus, definitionJson, definitionVersion,
                description, tags, createdBy, createdAt, by, now, version);
    }

    Audience withDetails(String newName, String newExternalName, String newDescription, Set<String> newTags,
                         String by, Instant now) {
        return new Audience(id, workspaceId, newName, newExternalName, status, definitionJson, definitionVersion,
                newDescription, newTags.stream().map(AudienceTag::new).collect(Collectors.toSet()), createdBy,
                createdAt, by, now, version);
    }
}
