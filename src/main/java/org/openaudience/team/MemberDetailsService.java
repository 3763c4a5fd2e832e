package org.openaudience.team;

import java.util.Locale;
import java.util.Optional;
import org.openaudience.security.MemberAccess;
import org.openaudience.security.MemberDirectory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Team members as the access checks' member directory (login is {@link MemberAuthentication}). */
@Service
class MemberDetailsService implements MemberDirectory {

    private final MemberRepository members;

    MemberDetailsService(MemberRepository members) {
        this.members = members;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<MemberAccess> findActiveMember(String email) {
        return members.findByEmail(normalizeEmail(email))
                .filter(Member::isActive)
                .map(MemberDetailsService::access);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<MemberAccess> findActiveMember(long memberId) {
        return members.findById(memberId).filter(Member::isActive).map(MemberDetailsService::access);
    }

    private static MemberAccess access(Member m) {
        return new MemberAccess(m.getId(), m.getEmail(), m.getName(), m.getRole(), m.isAllWorkspaces(),
                m.workspaceIds(), m.isMustChangePassword());
    }

    static String normalizeEmail(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }
}
