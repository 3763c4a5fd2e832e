package org.openaudience.audience;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openaudience.base.ConflictException;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.criteria.Definition;
import org.openaudience.criteria.DefinitionLimits;
import org.openaudience.criteria.Problem;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Versioned definition edits for clients that may edit concurrently (the REST API): a save names the version it
 * was made from and is refused when someone saved a newer one meanwhile, so nobody overwrites another editor
 * silently. Saving itself is {@link AudienceService#updateDefinition}, as in the editor (validation, history,
 * recalculation of an active audience, audit).
 */
@Service
public class AudienceDefinitions {

    private final AudienceService service;
    private final AudienceRepository audiences;
    private final AudienceReferences references;
    private final AudienceEstimates estimates;
    private final AccessGuard guard;
    private final JdbcClient jdbc;

    AudienceDefinitions(AudienceService service, AudienceRepository audiences, AudienceReferences references,
                        AudienceEstimates estimates, AccessGuard guard, JdbcClient jdbc) {
        this.service = service;
        this.audiences = audiences;
        this.references = references;
        this.estimates = estimates;
        this.guard = guard;
        this.jdbc = jdbc;
    }

    /** Checks first, before a request is read further, that the member may edit the workspace's audiences. */
    @Transactional(readOnly = true)
    public void requireEditor(long workspaceId) {
        guard.require(Capability.EDIT_AUDIENCES, workspaceId);
    }

    /**
     * The audience, for a member who may edit it; checked first, so a member who may not is refused before their
     * request is read further. In a workspace the member may not use it does not exist.
     */
    @Transactional(readOnly = true)
    public Audience audienceToEdit(long audienceId) {
        Audience audience = audiences.findById(audienceId).orElseThrow(() -> AudienceService.notFound(audienceId));
        guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId(), () -> AudienceService.notFound(audienceId));
        return audience;
    }

    /** The current definition with who saved it and when. */
    @Transactional(readOnly = true)
    public DefinitionVersion current(long audienceId) {
        Audience audience = service.audience(audienceId);
        return jdbc.sql("SELECT saved_by, saved_at FROM audience_definition_version WHERE audience_id = ?"
                        + " AND definition_version = ?")
                .params(audienceId, audience.definitionVersion())
                .query((rs, row) -> new DefinitionVersion(audience.definitionVersion(), audience.definition(),
                        rs.getString(1), rs.getTimestamp(2).toInstant()))
                .optional()
                .orElseGet(() -> new DefinitionVersion(audience.definitionVersion(), audience.definition(),
                        audience.updatedBy(), null));
    }

    /**
     * Saves the definition as a new version if the current one is still {@code expectedVersion} (null: whatever is
     * current). The check holds the audience row's lock until the save commits, so of two saves from the same
     * version exactly one wins; read committed, so what is read after the lock is what the winner saved. An
     * unchanged definition saves nothing (as in the editor).
     *
     * @throws ConflictException with {@code current_definition_version} when someone saved a newer version
     */
    @Transactional(isolation = Isolation.READ_COMMITTED)
    public Audience update(long audienceId, Integer expectedVersion, Definition definition) {
        return save(lockedForEdit(audienceId, definition), expectedVersion, definition);
    }

    /** A new definition version with the same criteria and these inputs (none: all inputs of the workspace). */
    @Transactional(isolation = Isolation.READ_COMMITTED)
    public Audience replaceInputs(long audienceId, Integer expectedVersion, Set<Long> inputIds) {
        Audience audience = audiences.findById(audienceId).orElseThrow(() -> AudienceService.notFound(audienceId));
        guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId(), () -> AudienceService.notFound(audienceId));
        if (inputIds.size() > DefinitionLimits.MAX_INPUTS) {
            throw new InvalidRequestException("inputIds", "At most " + DefinitionLimits.MAX_INPUTS + " inputs per "
                    + "audience (none means all inputs).");
        }
        List<Long> foreign = references.foreignInputs(audience.workspaceId(), inputIds);
        if (!foreign.isEmpty()) {
            throw new InvalidRequestException("inputIds", AudienceReferences.notInputs(foreign));
        }
        Audience locked = lockedForEdit(audienceId, audience.definition());
        return save(locked, expectedVersion, new Definition(locked.definition().root(), inputIds));
    }

    /**
     * The estimate of an unsaved definition, which must be one that could be activated (the same problems,
     * each where it is): a sketch the editor would estimate while it is edited is no question a script asks.
     */
    @Transactional(readOnly = true)
    public Estimate estimate(long workspaceId, Definition definition) {
        guard.requireWorkspace(workspaceId);
        AudienceService.requireWithinLimits(definition);
        references.requireInWorkspace(workspaceId, definition);
        List<Problem> problems = service.problems(workspaceId, null, definition);
        if (!problems.isEmpty()) {
            throw new DefinitionProblemsException(problems);
        }
        return estimates.estimate(workspaceId, definition);
    }

    /**
     * The audience, checked for editing, read again after taking its row's lock (and first the workspace's lock
     * when the definition has membership criteria: the order deletes take them in).
     */
    private Audience lockedForEdit(long audienceId, Definition definition) {
        Audience audience = audiences.findById(audienceId).orElseThrow(() -> AudienceService.notFound(audienceId));
        guard.require(Capability.EDIT_AUDIENCES, audience.workspaceId(), () -> AudienceService.notFound(audienceId));
        references.lockForReferences(audience.workspaceId(), definition);
        service.lockAudience(audienceId);
        return audiences.findById(audienceId).orElseThrow(() -> AudienceService.notFound(audienceId));
    }

    private Audience save(Audience locked, Integer expectedVersion, Definition definition) {
        if (expectedVersion != null && expectedVersion != locked.definitionVersion()) {
            throw new ConflictException("The definition was changed since version " + expectedVersion + "; the "
                    + "current version is " + locked.definitionVersion() + ". Read it again, apply your change to "
                    + "it and save it as a change of version " + locked.definitionVersion() + ".",
                    Map.of("current_definition_version", locked.definitionVersion()));
        }
        if (definition.equals(locked.definition())) {
            return locked;
        }
        return service.updateDefinition(locked.id(), definition);
    }
}
