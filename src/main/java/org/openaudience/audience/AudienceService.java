package org.openaudience.audience;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.calculation.CalculationEngine;
import org.openaudience.calculation.CalculationProgress;
import org.openaudience.calculation.CalculationTrigger;
import org.openaudience.catalog.CatalogService;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionJson;
import org.openaudience.criteria.DefinitionLimits;
import org.openaudience.criteria.DefinitionValidator;
import org.openaudience.criteria.Problem;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Audiences of a workspace: drafts, activation (which starts a calculation), edits (every saved definition is kept;
 * an active audience recalculates), deactivation, and reading sizes and progress. Name, description and tags are
 * edited through {@link AudienceDetails}. Changes are audited.
 */
@Service
public class AudienceService {

    private final AudienceRepository audiences;
    private final AudienceReferences references;
    private final CalculationEngine calculations;
    private final CatalogService catalog;
    private final AccessGuard guard;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    AudienceService(AudienceRepository audiences, AudienceReferences references, CalculationEngine calculations,
                    CatalogService catalog, AccessGuard guard, JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.audit = audit;
        this.audiences = audiences;
        this.references = references;
        this.calculations = calculations;
        this.catalog = catalog;
        this.guard = guard;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Saves a new audience as a draft (no calculation). */
    @Transactional
    public Audience createAudience(long workspaceId, String name, String externalName, Definition definition) {
        return createAudience(workspaceId, name, externalName, null, null, definition);
    }

    /** Saves a new draft with its description and tags (checked as the Details tab checks them). */
    @Transactional
    public Audience createAudience(long workspaceId, String name, String externalName, String description,
                                   Set<String> tags, Definition definition) {
        MemberAccess member = guard.require(Capability.EDIT_AUDIENCES, workspaceId);
        String cleanName = AudienceDetails.validName(name, "name");
        if (audiences.findByWorkspaceIdAndName(workspaceId, cleanName).isPresent()) {
            throw new InvalidRequestException("name", "An audience named \"" + cleanName + "\" already exists.");
        }
        String external = externalName == null || externalName.isBlank() ? cleanName
                : AudienceDetails.validName(externalName, "externalName");
        String cleanDescription = AudienceDetails.validDescription(description);
        Set<AudienceTag> cleanTags = AudienceDetails.validTags(tags).stream().map(AudienceTag::new)
                .collect(Collectors.toSet());
        requireWithinLimits(definition);
        references.requireInWorkspace(workspaceId, definition);
        Instant now = clock.instant();
        Audience saved = audiences.save(new Audience(null, workspaceId, cleanName, external, AudienceStatus.DRAFT,
                DefinitionJson.write(definition), 1, cleanDescription, cleanTags, member.email(), now,
                member.email(), now, null));
        keepVersion(saved, member.email(), now);
        audit.record(AuditAction.AUDIENCE_CREATED, saved.name(), "draft, definition version 1", workspaceId);
        return saved;
    }

    /** Saves a new definition version; an active audience validates it and recalculates. */
    @Transactional
    public Audience updateDefinition(long audienceId, Definition definition) {
        Audience audience = find(audienceId);
        MemberAccess member = require(Capability.EDIT_AUDIENCES, audience);
        requireWithinLimits(definition);
        references.requireInWorkspace(audience.workspaceId(), definition);
        if (audience.status() == AudienceStatus.ACTIVE) {
            requireValid(audience, definition);
        }
        Instant now = clock.instant();
        Audience saved = audiences.save(audience.withDefinition(definition, member.email(), now));
        keepVersion(saved, member.email(), now);
        boolean active = saved.status() == AudienceStatus.ACTIVE;
        if (active) {
            calculations.start(saved.id(), saved.workspaceId(), definition, saved.definitionVersion(),
                    CalculationTrigger.EDIT);
        }
        audit.record(AuditAction.AUDIENCE_DEFINITION_CHANGED, saved.name(), "definition version "
                + saved.definitionVersion() + (active ? ", recalculating" : ""), saved.workspaceId());
        return saved;
    }

    /**
     * The problems activation would report for this definition, per criterion and field, for the editor to show
     * beside its fields; nothing is saved.
     */
    @Transactional(readOnly = true)
    public List<Problem> problems(long workspaceId, Long audienceId, Definition definition) {
        guard.requireWorkspace(workspaceId);
        return problems(workspaceId, audienceId, definition, false);
    }

    private List<Problem> problems(long workspaceId, Long audienceId, Definition definition, boolean locking) {
        List<Problem> problems = new ArrayList<>(DefinitionValidator.validate(definition,
                (type, key) -> catalog.hasEvent(workspaceId, type, key),
                id -> references.target(workspaceId, id, audienceId, locking)));
        if (audienceId != null && !AudienceReferences.referenced(definition).isEmpty()) {
            List<String> users = references.usersOf(workspaceId, audienceId, locking);
            if (!users.isEmpty()) {
                problems.add(new Problem("", "criteria", "This audience is used in the Audience membership criteria"
                        + " of " + quoted(users) + ", so it cannot have membership criteria itself."));
            }
        }
        return problems;
    }

    /** Every save, drafts too: a definition beyond the limits is refused (each place) before anything is stored. */
    static void requireWithinLimits(Definition definition) {
        List<Problem> exceeded = DefinitionLimits.check(definition);
        if (!exceeded.isEmpty()) {
            throw new DefinitionProblemsException(exceeded);
        }
    }

    /** Audiences a membership criterion may point at: those of the workspace without membership criteria. */
    @Transactional(readOnly = true)
    public List<Audience> membershipTargets(long workspaceId, Long editedId) {
        guard.requireWorkspace(workspaceId);
        return audiences.findByWorkspaceIdOrderByNameAsc(workspaceId, PageRequest.of(0, 1000)).stream()
                .filter(audience -> !audience.id().equals(editedId))
                .filter(audience -> AudienceReferences.referenced(audience.definition()).isEmpty())
                .toList();
    }

    /** Names of the audiences whose membership criteria use this one (it cannot be deleted while there are any). */
    @Transactional(readOnly = true)
    public List<String> usedBy(long audienceId) {
        Audience audience = audience(audienceId);
        return references.usersOf(audience.workspaceId(), audienceId, false);
    }

    /** What the signed-in member may do with the workspace's audiences (the views show only those controls). */
    @Transactional(readOnly = true)
    public AudiencePermissions permissions(long workspaceId) {
        MemberAccess member = guard.requireWorkspace(workspaceId);
        return new AudiencePermissions(member.can(Capability.EDIT_AUDIENCES),
                member.can(Capability.DOWNLOAD_AUDIENCES), member.can(Capability.LOOK_UP_USERS));
    }

    /** Validates the definition and starts calculating it in the background. */
    @Transactional
    public Audience activateAudience(long audienceId) {
        Audience audience = find(audienceId);
        MemberAccess member = require(Capability.EDIT_AUDIENCES, audience);
        Definition definition = audience.definition();
        requireValid(audience, definition);
        Audience active = audiences.save(audience.withStatus(AudienceStatus.ACTIVE, member.email(), clock.instant()));
        calculations.start(active.id(), active.workspaceId(), definition, active.definitionVersion(),
                CalculationTrigger.ACTIVATION);
        audit.record(AuditAction.AUDIENCE_ACTIVATED, active.name(), "definition version "
                + active.definitionVersion(), active.workspaceId());
        return active;
    }

    /** Calculates an active audience whose last calculation failed again, from its current definition. */
    @Transactional
    public Audience retryCalculation(long audienceId) {
        Audience audience = find(audienceId);
        require(Capability.EDIT_AUDIENCES, audience);
        lockAudience(audienceId);
        CalculationProgress progress = calculations.progress(audienceId);
        if (audience.status() != AudienceStatus.ACTIVE || progress.calculating() || progress.lastError() == null) {
            throw new InvalidRequestException("audience", "Only an active audience whose calculation failed can be "
                    + "calculated again.");
        }
        calculations.start(audience.id(), audience.workspaceId(), audience.definition(), audience.definitionVersion(),
                CalculationTrigger.RETRY);
        return audience;
    }

    @Transactional
    public Audience deactivateAudience(long audienceId) {
        Audience audience = find(audienceId);
        MemberAccess member = require(Capability.EDIT_AUDIENCES, audience);
        lockAudience(audienceId);
        calculations.stop(audienceId);
        audit.record(AuditAction.AUDIENCE_DEACTIVATED, audience.name(), null, audience.workspaceId());
        return audiences.save(audience.withStatus(AudienceStatus.INACTIVE, member.email(), clock.instant()));
    }

    /**
     * A draft copy with the same definition and inputs, named "<name> (copy)" and delivering under
     * "<external name> (copy)", each numbered ("(copy 2)" …) when another audience of the workspace has it, so two
     * audiences never deliver under one downstream name. A long name is shortened so the suffix fits 100 characters.
     */
    @Transactional
    public Audience cloneAudience(long audienceId) {
        Audience original = find(audienceId);
        require(Capability.EDIT_AUDIENCES, original);
        long workspaceId = original.workspaceId();
        String name = copyName(original.name(),
                candidate -> audiences.findByWorkspaceIdAndName(workspaceId, candidate).isPresent());
        String externalName = copyName(original.externalName(),
                candidate -> audiences.existsByWorkspaceIdAndExternalName(workspaceId, candidate));
        return createAudience(workspaceId, name, externalName, original.description(), original.tagNames(),
                original.definition());
    }

    /** "<name> (copy)", else "<name> (copy 2)", "(copy 3)" … the first not taken, within the name length limit. */
    static String copyName(String name, java.util.function.Predicate<String> taken) {
        for (int n = 1; ; n++) {
            String suffix = n == 1 ? " (copy)" : " (copy " + n + ")";
            String base = name.length() + suffix.length() > AudienceDetails.MAX_NAME_LENGTH
                    ? name.substring(0, AudienceDetails.MAX_NAME_LENGTH - suffix.length()).stripTrailing() : name;
            if (!taken.test(base + suffix)) {
                return base + suffix;
            }
        }
    }

    /**
     * Deletes an audience with its versions, members and history; refused while another audience's membership
     * criteria use it.
     */
    @Transactional
    public void deleteAudience(long audienceId) {
        Audience audience = find(audienceId);
        require(Capability.EDIT_AUDIENCES, audience);
        references.lockWorkspace(audience.workspaceId()); // no save may start using it meanwhile
        List<String> users = references.usersOf(audience.workspaceId(), audienceId, true);
        if (!users.isEmpty()) {
            throw new AudienceInUseException("\"" + audience.name() + "\" is used in the Audience membership "
                    + "criteria of " + quoted(users) + "; remove those criteria first.", users);
        }
        lockAudience(audienceId);
        calculations.stop(audienceId);
        audiences.delete(audience);
        audit.record(AuditAction.AUDIENCE_DELETED, audience.name(), null, audience.workspaceId());
    }

    /** The audience, for members who may use its workspace (for others it does not exist). */
    @Transactional(readOnly = true)
    public Audience audience(long audienceId) {
        Audience audience = find(audienceId);
        guard.requireWorkspace(audience.workspaceId(), () -> notFound(audienceId));
        return audience;
    }

    @Transactional(readOnly = true)
    public List<Audience> page(long workspaceId, int offset, int limit) {
        guard.requireWorkspace(workspaceId);
        int size = Math.max(1, limit);
        return audiences.findByWorkspaceIdOrderByNameAsc(workspaceId, PageRequest.of(offset / size, size));
    }

    @Transactional(readOnly = true)
    public int count(long workspaceId) {
        guard.requireWorkspace(workspaceId);
        return (int) audiences.countByWorkspaceId(workspaceId);
    }

    /** Size of the complete membership, and the progress of a running calculation. */
    @Transactional(readOnly = true)
    public CalculationProgress progress(long audienceId) {
        audience(audienceId);
        return calculations.progress(audienceId);
    }

    /** Validates for saving: under the workspace's reference lock, against the latest committed definitions. */
    private void requireValid(Audience audience, Definition definition) {
        references.lockForReferences(audience.workspaceId(), definition);
        List<Problem> problems = problems(audience.workspaceId(), audience.id(), definition, true);
        if (!problems.isEmpty()) {
            throw new DefinitionProblemsException(problems);
        }
    }

    private void keepVersion(Audience audience, String by, Instant now) {
        jdbc.sql("""
                        INSERT INTO audience_definition_version (audience_id, definition_version, definition_json,
                                                                 saved_by, saved_at) VALUES (?, ?, ?, ?, ?)""")
                .params(audience.id(), audience.definitionVersion(), audience.definitionJson(), by,
                        Timestamp.from(now)).update();
    }

    /** The audience row first, as the calculation and real time lock it, so runs are changed in one order. */
    void lockAudience(long audienceId) {
        jdbc.sql("SELECT id FROM audience WHERE id = ? FOR UPDATE").param(audienceId).query(Long.class).list();
    }

    private static String quoted(List<String> names) {
        return names.stream().map(name -> "\"" + name + "\"").collect(Collectors.joining(", "));
    }

    private Audience find(long audienceId) {
        return audiences.findById(audienceId).orElseThrow(() -> notFound(audienceId));
    }

    /** Checks the capability in the audience's workspace; one the member may not use answers as not found. */
    private MemberAccess require(Capability capability, Audience audience) {
        return guard.require(capability, audience.workspaceId(), () -> notFound(audience.id()));
    }

    /**
     * One answer for an audience that does not exist and one in a workspace the member may not use, so audience
     * ids of other workspaces cannot be probed.
     */
    static NotFoundException notFound(long audienceId) {
        return new NotFoundException("Audience " + audienceId + " does not exist, or it is in a workspace you "
                + "cannot use.");
    }
}
