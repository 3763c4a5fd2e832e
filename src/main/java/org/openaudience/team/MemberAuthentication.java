package org.openaudience.team;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.openaudience.security.LoginThrottledException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Email and password login of team members. Every attempt that is not throttled costs exactly one password hash —
 * for unknown emails against a hash of a random password, for locked and deactivated accounts before refusing them
 * — so how long the answer takes does not tell whether an account exists or what state it is in. The outcome for a
 * locked or deactivated account does not depend on the password either.
 */
@Component
class MemberAuthentication implements AuthenticationProvider {

    private final MemberRepository members;
    private final PasswordEncoder passwordEncoder;
    private final LoginThrottle throttle;
    private final LoginAttempts attempts;
    private final Clock clock;
    /** Same encoder and cost as the members' hashes; matches no password anyone types. */
    private final String unknownMemberHash;

    MemberAuthentication(MemberRepository members, PasswordEncoder passwordEncoder, LoginThrottle throttle,
                         LoginAttempts attempts, Clock clock) {
        this.members = members;
        this.passwordEncoder = passwordEncoder;
        this.throttle = throttle;
        this.attempts = attempts;
        this.clock = clock;
        this.unknownMemberHash = passwordEncoder.encode(UUID.randomUUID().toString());
    }

    @Override
    public Authentication authenticate(Authentication login) {
        String email = MemberDetailsService.normalizeEmail(login.getName());
        String password = login.getCredentials() == null ? "" : login.getCredentials().toString();
        String address = login.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : null;
        Optional<java.time.Duration> wait = throttle.waitFor(address);
        if (wait.isPresent()) {
            attempts.recordThrottled(email, address);
            throw new LoginThrottledException(wait.get());
        }

        Optional<Member> found = members.findByEmail(email);
        boolean passwordMatches = passwordEncoder.matches(password,
                found.map(Member::getPasswordHash).orElse(unknownMemberHash));
        Member member = found.orElseThrow(() -> new BadCredentialsException("Bad credentials"));
        if (member.isLockedAt(clock.instant())) {
            throw new LockedException("The account is locked");
        }
        if (!member.isActive()) {
            throw new DisabledException("The member is deactivated");
        }
        if (!passwordMatches) {
            throw new BadCredentialsException("Bad credentials");
        }
        UserDetails principal = User.withUsername(member.getEmail()).password("")
                .authorities(List.of(new SimpleGrantedAuthority("ROLE_" + member.getRole().name()))).build();
        UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(principal,
                null, principal.getAuthorities());
        result.setDetails(login.getDetails());
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
