package org.openaudience.security;

import java.util.function.Supplier;
import org.openaudience.base.AccessRefusedException;
import org.openaudience.base.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The server-side permission check every service calls first. Role and workspace access are read from the database
 * on each call, so a role change or deactivation applies at once, not at the next login.
 */
@Component
public class AccessGuard {

    private static final Logger log = LoggerFactory.getLogger(AccessGuard.class);

    private final MemberDirectory members;
    private final ApplicationEventPublisher events;

    public AccessGuard(MemberDirectory members, ApplicationEventPublisher events) {
        this.members = members;
        this.events = events;
    }

    /** The signed-in, active member; refuses anonymous callers and deactivated members. */
    public MemberAccess currentMember() {
        String email = signedInEmail();
        if (email == null) {
            throw refuse(null, "Please sign in first.");
        }
        return members.findActiveMember(email)
                .orElseThrow(() -> refuse(email, "Your account is not active."));
    }

    public MemberAccess require(Capability capability) {
        MemberAccess member = currentMember();
        checkCapability(member, capability);
        return member;
    }

    public MemberAccess requireWorkspace(long workspaceId) {
        MemberAccess member = currentMember();
        checkWorkspace(member, workspaceId);
        return member;
    }

    public MemberAccess require(Capability capability, long workspaceId) {
        MemberAccess member = require(capability);
        checkWorkspace(member, workspaceId);
        return member;
    }

    /**
     * For a thing looked up by its id: when it is in a workspace the member may not use, the caller's not-found
     * answer, exactly as for an id that does not exist, so ids of other workspaces cannot be probed. The refusal is
     * still published (audit log) and logged.
     */
    public MemberAccess requireWorkspace(long workspaceId, Supplier<NotFoundException> notFound) {
        MemberAccess member = currentMember();
        if (!member.mayUseWorkspace(workspaceId)) {
            refuse(member.email(), "You do not have access to workspace " + workspaceId + ".");
            throw notFound.get();
        }
        return member;
    }

    /** As {@link #requireWorkspace(long, Supplier)}, then the capability (the thing's existence is no secret then). */
    public MemberAccess require(Capability capability, long workspaceId, Supplier<NotFoundException> notFound) {
        MemberAccess member = requireWorkspace(workspaceId, notFound);
        checkCapability(member, capability);
        return member;
    }

    private void checkCapability(MemberAccess member, Capability capability) {
        if (!member.can(capability)) {
            throw refuse(member.email(), "Your role (" + member.role().label() + ") may not "
                    + capability.name().toLowerCase().replace('_', ' ') + ".");
        }
    }

    private void checkWorkspace(MemberAccess member, long workspaceId) {
        if (!member.mayUseWorkspace(workspaceId)) {
            throw refuse(member.email(), "You do not have access to workspace " + workspaceId + ".");
        }
    }

    private AccessRefusedException refuse(String actor, String reason) {
        // a refusal is expected traffic (a stale tab, a guessed URL), not a fault: one line, no stack trace
        log.warn("Access refused to {}: {}", actor == null ? "an anonymous caller" : actor, reason);
        events.publishEvent(new AccessRefused(actor, reason));
        return new AccessRefusedException(reason);
    }

    /** The email of the authenticated principal, or null when nobody is signed in. */
    public static String signedInEmail() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return null;
        }
        return authentication.getName();
    }
}
