package org.openaudience.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access of members who keep a page subscribed to pushed data (Live Stream, an audience's Changes tab), read
 * again from the database at most every {@code recheck}: a role change or deactivation ends a subscription within
 * that time, without a database read per pushed row.
 */
public final class RecheckedAccess {

    private final MemberDirectory members;
    private final Duration recheck;
    private final Map<String, Checked> byMember = new ConcurrentHashMap<>();

    private record Checked(Optional<MemberAccess> access, Instant checkedAt) {
    }

    public RecheckedAccess(MemberDirectory members, Duration recheck) {
        this.members = members;
        this.recheck = recheck;
    }

    /** The access just checked on subscribing: counts as fresh from {@code now}. */
    public void remember(MemberAccess member, Instant now) {
        byMember.put(member.email(), new Checked(Optional.of(member), now));
    }

    /** The member's access, read again once the last reading is {@code recheck} old; empty when inactive. */
    public Optional<MemberAccess> of(String email, Instant now) {
        Checked checked = byMember.get(email);
        boolean fresh = checked != null && !now.isBefore(checked.checkedAt())
                && now.isBefore(checked.checkedAt().plus(recheck));
        if (fresh) {
            return checked.access();
        }
        Optional<MemberAccess> access = members.findActiveMember(email);
        byMember.put(email, new Checked(access, now));
        return access;
    }

    /** From the last reading, without a database read; false when unknown (fail closed). */
    public boolean can(String email, Capability capability) {
        Checked checked = byMember.get(email);
        return checked != null && checked.access().map(member -> member.can(capability)).orElse(false);
    }

    /** Forgets members who no longer watch anything. */
    public void keepOnly(Set<String> emails) {
        byMember.keySet().retainAll(emails);
    }

    /** Why an inactive member, or one without the workspace any more, must stop watching it. */
    public static Optional<String> workspaceRefusal(Optional<MemberAccess> access, long workspaceId) {
        if (access.isEmpty()) {
            return Optional.of("your account is no longer active");
        }
        if (!access.get().mayUseWorkspace(workspaceId)) {
            return Optional.of("you no longer have access to this workspace");
        }
        return Optional.empty();
    }
}
