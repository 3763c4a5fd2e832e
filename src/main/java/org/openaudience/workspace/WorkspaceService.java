package org.openaudience.workspace;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import java.util.Optional;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.Capability;
import org.openaudience.security.MemberAccess;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating, renaming and deleting workspaces, and which one each member is working in. */
@Service
public class WorkspaceService {

    private final WorkspaceRepository workspaces;
    private final AccessGuard guard;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    WorkspaceService(WorkspaceRepository workspaces, AccessGuard guard, AuditLog audit,
                     ApplicationEventPublisher events, Clock clock) {
        this.workspaces = workspaces;
        this.guard = guard;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** The workspaces the signed-in member may use, by name. */
    @Transactional(readOnly = true)
    public List<Workspace> accessibleWorkspaces() {
        MemberAccess member = guard.currentMember();
        if (seesEveryWorkspace(member)) {
            return workspaces.findAllByOrderByNameAsc();
        }
        return member.workspaceIds().isEmpty() ? List.of()
                : workspaces.findByIdInOrderByNameAsc(member.workspaceIds());
    }

    /** Every workspace, for forms that grant access to them (team management: Admins only). */
    @Transactional(readOnly = true)
    public List<Workspace> allWorkspaces() {
        guard.require(Capability.MANAGE_TEAM);
        return workspaces.findAllByOrderByNameAsc();
    }

    /**
     * The workspace the signed-in member last switched to, if they may still use it; otherwise the first one they
     * may use. Empty when they may use none.
     */
    @Transactional(readOnly = true)
    public Optional<Workspace> currentWorkspace() {
        MemberAccess member = guard.currentMember();
        return workspaces.findSelectedWorkspaceId(member.memberId())
                .filter(member::mayUseWorkspace)
                .flatMap(workspaces::findById)
                .or(() -> accessibleWorkspaces().stream().findFirst());
    }

    /** Remembers the member's choice, so the next session opens in the same workspace. */
    @Transactional
    public Workspace switchTo(long workspaceId) {
        MemberAccess member = guard.requireWorkspace(workspaceId);
        Workspace workspace = find(workspaceId);
        workspaces.selectWorkspace(member.memberId(), workspaceId);
        return workspace;
    }

    /** Settings › Workspaces: the workspaces the member may use whose name contains the filter, by name. */
    @Transactional(readOnly = true)
    public List<Workspace> page(String nameFilter, int offset, int limit) {
        MemberAccess member = guard.require(Capability.MANAGE_WORKSPACES);
        PageRequest page = PageRequest.of(offset / Math.max(limit, 1), Math.max(limit, 1));
        if (seesEveryWorkspace(member)) {
            return workspaces.findByNameContainingOrderByNameAsc(nullToEmpty(nameFilter), page);
        }
        return member.workspaceIds().isEmpty() ? List.of()
                : workspaces.findByIdInAndNameContainingOrderByNameAsc(member.workspaceIds(), nullToEmpty(nameFilter),
                page);
    }

    @Transactional(readOnly = true)
    public int count(String nameFilter) {
        MemberAccess member = guard.require(Capability.MANAGE_WORKSPACES);
        if (seesEveryWorkspace(member)) {
            return (int) workspaces.countByNameContaining(nullToEmpty(nameFilter));
        }
        return member.workspaceIds().isEmpty() ? 0
                : (int) workspaces.countByIdInAndNameContaining(member.workspaceIds(), nullToEmpty(nameFilter));
    }

    private static boolean seesEveryWorkspace(MemberAccess member) {
        return member.role().seesAllWorkspaces() || member.allWorkspaces();
    }

    @Transactional
    public Workspace createWorkspace(String name) {
        guard.require(Capability.MANAGE_WORKSPACES);
        String cleanName = validName(name, null);
        Workspace created = workspaces.save(Workspace.create(cleanName, clock.instant()));
        audit.record(AuditAction.WORKSPACE_CREATED, cleanName, null, created.id());
        return created;
    }

    @Transactional
    public Workspace renameWorkspace(long workspaceId, String newName) {
        guard.require(Capability.MANAGE_WORKSPACES, workspaceId);
        Workspace workspace = find(workspaceId);
        String cleanName = validName(newName, workspaceId);
        Workspace renamed = workspaces.save(workspace.renamedTo(cleanName));
        audit.record(AuditAction.WORKSPACE_RENAMED, cleanName, "was " + workspace.name(), workspaceId);
        return renamed;
    }

    /**
     * Deletes a workspace and all of its data. The caller must type the workspace's name, as the dialog asks, so a
     * stray click cannot delete one.
     */
    @Transactional
    public void deleteWorkspace(long workspaceId, String typedName) {
        guard.require(Capability.MANAGE_WORKSPACES, workspaceId);
        Workspace workspace = find(workspaceId);
        if (typedName == null || !workspace.name().equals(typedName.trim())) {
            throw new InvalidRequestException("confirmation", "Type the workspace name exactly to delete it.");
        }
        events.publishEvent(new WorkspaceDeleted(workspaceId, workspace.name()));
        workspaces.deleteById(workspaceId);
        audit.record(AuditAction.WORKSPACE_DELETED, workspace.name(), null, workspaceId);
    }

    @Transactional(readOnly = true)
    public Workspace workspace(long workspaceId) {
        guard.requireWorkspace(workspaceId);
        return find(workspaceId);
    }

    /**
     * The workspace, for a member who may use it; for anyone else the same not-found answer as for a workspace that
     * does not exist, so workspace ids cannot be probed (the REST API's paths name them).
     */
    @Transactional(readOnly = true)
    public Workspace usableWorkspace(long workspaceId) {
        Supplier<NotFoundException> notFound = () -> new NotFoundException("Workspace " + workspaceId
                + " does not exist, or you cannot use it.");
        guard.requireWorkspace(workspaceId, notFound);
        return workspaces.findById(workspaceId).orElseThrow(notFound);
    }

    private Workspace find(long workspaceId) {
        return workspaces.findById(workspaceId)
                .orElseThrow(() -> new NotFoundException("Workspace " + workspaceId + " no longer exists."));
    }

    private String validName(String name, Long renamedId) {
        String clean = name == null ? "" : name.trim();
        if (clean.isEmpty()) {
            throw new InvalidRequestException("name", "Enter a name.");
        }
        if (clean.length() > Workspace.MAX_NAME_LENGTH) {
            throw new InvalidRequestException("name", "Use at most " + Workspace.MAX_NAME_LENGTH + " characters.");
        }
        workspaces.findByName(clean)
                .filter(existing -> !existing.id().equals(renamedId))
                .ifPresent(existing -> {
                    throw new InvalidRequestException("name", "A workspace named \"" + clean + "\" already exists.");
                });
        return clean;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text.trim();
    }
}
