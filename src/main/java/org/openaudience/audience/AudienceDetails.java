package org.openaudience.audience;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The Details tab's edits: name, external name (what outputs see), description and tags; audited. */
@Service
public class AudienceDetails {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_TAG_LENGTH = 18;
    static final int MAX_TAGS = 20;
    static final int MAX_DESCRIPTION_LENGTH = 1000;

    private final AudienceRepository audiences;
    private final AccessGuard guard;
    private final AuditLog audit;
    private final Clock clock;

    AudienceDetails(AudienceRepository audiences, AccessGuard guard, AuditLog audit, Clock clock) {
        this.audiences = audiences;
        this.guard = guard;
        this.audit = audit;
        this.clock = clock;
    }

    /** Renames, describes and tags an audience (tags: at most 18 characters each). */
    @Transactional
    public Audience updateDetails(long audienceId, String name, String externalName, String description,
                                  Set<String> tags) {
        Audience audience = audiences.findById(audienceId).orElseThrow(() -> AudienceService.notFound(audienceId));
        MemberAccess member = guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId(),
                () -> AudienceService.notFound(audienceId));
        String cleanName = validName(name, "name");
        if (audiences.findByWorkspaceIdAndName(audience.workspaceId(), cleanName)
                .filter(other -> !other.id().equals(audienceId)).isPresent()) {
            throw new InvalidRequestException("name", "An audience named \"" + cleanName + "\" already exists.");
        }
        String external = externalName == null || externalName.isBlank() ? cleanName
                : validName(externalName, "externalName");
        String cleanDescription = validDescription(description);
        Audience saved = audiences.save(audience.withDetails(cleanName, external, cleanDescription, validTags(tags),
                member.email(), clock.instant()));
        String changes = changes(audience, saved);
        if (!changes.isEmpty()) {
            audit.record(AuditAction.AUDIENCE_DETAILS_CHANGED, saved.name(), changes, saved.workspaceId());
        }
        return saved;
    }

    /** Changes only the details given; those left out (null) stay as they are. */
    @Transactional
    public Audience changeDetails(long audienceId, String name, String externalName, String description,
                                  Set<String> tags) {
        Audience audience = audiences.findById(audienceId).orElseThrow(() -> AudienceService.notFound(audienceId));
        guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId(), () -> AudienceService.notFound(audienceId));
        return updateDetails(audienceId, name == null ? audience.name() : name,
                externalName == null ? audience.externalName() : externalName,
                description == null ? audience.description() : description, tags == null ? audience.tagNames() : tags);
    }

    /** What an edit changed, for the audit log, e.g. {@code name "Paris" → "Paris fans"; tags [] → [video]}. */
    private static String changes(Audience before, Audience after) {
        List<String> changes = new ArrayList<>();
        if (!before.name().equals(after.name())) {
            changes.add("name \"" + before.name() + "\" → \"" + after.name() + "\"");
        }
        if (!before.externalName().equals(after.externalName())) {
            changes.add("external name \"" + before.externalName() + "\" → \"" + after.externalName() + "\"");
        }
        if (!Objects.equals(before.description(), after.description())) {
            changes.add("description changed");
        }
        Set<String> tagsBefore = new TreeSet<>(before.tagNames());
        Set<String> tagsAfter = new TreeSet<>(after.tagNames());
        if (!tagsBefore.equals(tagsAfter)) {
            changes.add("tags " + tagsBefore + " → " + tagsAfter);
        }
        return String.join("; ", changes);
    }

    /** A name or external name: trimmed, required, at most 100 characters (also for new audiences). */
    static String validName(String name, String field) {
        String clean = name == null ? "" : name.trim();
        if (clean.isEmpty()) {
            throw new InvalidRequestException(field, "Enter a name.");
        }
        if (clean.length() > MAX_NAME_LENGTH) {
            throw new InvalidRequestException(field, "Use at most " + MAX_NAME_LENGTH + " characters.");
        }
        return clean;
    }

    /** A description: trimmed, optional, at most 1000 characters. */
    static String validDescription(String description) {
        String clean = description == null ? "" : description.trim();
        if (clean.length() > MAX_DESCRIPTION_LENGTH) {
            throw new InvalidRequestException("description", "Use at most " + MAX_DESCRIPTION_LENGTH
                    + " characters.");
        }
        return clean;
    }

    /** Tags: trimmed, blanks dropped, at most 20 of at most 18 characters each. */
    static Set<String> validTags(Set<String> tags) {
        Set<String> clean = new TreeSet<>();
        for (String tag : tags == null ? Set.<String>of() : tags) {
            String trimmed = tag == null ? "" : tag.trim();
            if (trimmed.length() > MAX_TAG_LENGTH) {
                String shown = trimmed.length() > 40 ? trimmed.substring(0, MAX_TAG_LENGTH) + "…" : trimmed;
                throw new InvalidRequestException("tags", "\"" + shown + "\" is longer than " + MAX_TAG_LENGTH
                        + " characters.");
            }
            if (!trimmed.isEmpty()) {
                clean.add(trimmed);
            }
        }
        if (clean.size() > MAX_TAGS) {
            throw new InvalidRequestException("tags", "Use at most " + MAX_TAGS + " tags.");
        }
        return clean;
    }
}
