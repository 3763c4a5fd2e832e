package org.openaudience.security;

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
        if (!member.can(capability)) {
            throw refuse(member.email(), "Your role (" + member.role().label() + ") may not "
                    + capability.name().toLowerCase().replace('_', ' ') + ".");
        }
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

    private void checkWorkspace(MemberAccess member, long workspaceId) {
        if (!member.mayUseWorkspace(workspaceId)) {
            throw refuse(member.email(), "You do not have access to workspace " + workspaceId + ".");
        }
    }

    private AccessRefusedException refuse(String actor, String reason) {
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
