package org.openaudience.team;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openaudience.security.MemberAccess;
import org.openaudience.security.MemberDirectory;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Team members as Spring Security users (login) and as the access checks' member directory. */
@Service
class MemberDetailsService implements UserDetailsService, MemberDirectory {

    private final MemberRepository members;
    private final Clock clock;

    MemberDetailsService(MemberRepository members, Clock clock) {
        this.members = members;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        Member member = members.findByEmail(normalizeEmail(username))
                .orElseThrow(() -> new UsernameNotFoundException("No member " + username));
        return User.withUsername(member.getEmail())
                .password(member.getPasswordHash())
                .authorities(List.of(new SimpleGrantedAuthority("ROLE_" + member.getRole().name())))
                .disabled(!member.isActive())
                .accountLocked(member.isLockedAt(clock.instant()))
                .build();
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<MemberAccess> findActiveMember(String email) {
        return members.findByEmail(normalizeEmail(email))
                .filter(Member::isActive)
                .map(m -> new MemberAccess(m.getId(), m.getEmail(), m.getName(), m.getRole(), m.isAllWorkspaces(),
                        m.workspaceIds(), m.isMustChangePassword()));
    }

    static String normalizeEmail(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }
}
