package org.openaudience.team;

import java.time.Clock;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureDisabledEvent;
import org.springframework.security.authentication.event.AuthenticationFailureLockedEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts failed logins per account (locking it per {@link LoginPolicy}) and per client address ({@link LoginThrottle}),
 * and writes every attempt to the audit log.
 */
@Component
class LoginAttempts {

    private final MemberRepository members;
    private final AuditLog audit;
    private final LoginPolicy policy;
    private final LoginThrottle throttle;
    private final Clock clock;

    LoginAttempts(MemberRepository members, AuditLog audit, LoginPolicy policy, LoginThrottle throttle, Clock clock) {
        this.members = members;
        this.audit = audit;
        this.policy = policy;
        this.throttle = throttle;
        this.clock = clock;
    }

    @EventListener
    @Transactional
    public void onSuccess(AuthenticationSuccessEvent event) {
        String email = MemberDetailsService.normalizeEmail(event.getAuthentication().getName());
        if (members.recordSuccessfulLogin(email, clock.instant()) > 0) {
            audit.recordAs(email, address(event.getAuthentication()), AuditAction.LOGIN_SUCCEEDED, email, null, null);
        }
    }

    @EventListener
    @Transactional
    public void onFailure(AbstractAuthenticationFailureEvent event) {
        String email = MemberDetailsService.normalizeEmail(event.getAuthentication().getName());
        String address = address(event.getAuthentication());
        throttle.recordFailure(address);
        if (event instanceof AuthenticationFailureLockedEvent) {
            audit.recordAs(email, address, AuditAction.LOGIN_REFUSED_LOCKED, email, null, null);
        } else if (event instanceof AuthenticationFailureDisabledEvent) {
            audit.recordAs(email, address, AuditAction.LOGIN_REFUSED_INACTIVE, email, null, null);
        } else if (event instanceof AuthenticationFailureBadCredentialsEvent) {
            recordBadCredentials(email, address);
        } else {
            audit.recordAs(email, address, AuditAction.LOGIN_FAILED, email,
                    event.getException().getClass().getSimpleName() + ": " + event.getException().getMessage(), null);
        }
    }

    /** A login refused because its address failed too often ({@link LoginThrottle}); not counted again. */
    @Transactional
    public void recordThrottled(String email, String address) {
        audit.recordAs(email, address, AuditAction.LOGIN_FAILED, email,
                "refused: too many failed logins from this address", null);
    }

    private void recordBadCredentials(String email, String address) {
        if (members.countFailedLogin(email) == 0) {
            audit.recordAs(email, address, AuditAction.LOGIN_FAILED, email, "unknown email", null);
            return;
        }
        afterWrongPassword(email, address, "wrong password");
    }

    /** A wrong current password typed elsewhere (change password) counts like a failed login. */
    void recordWrongPassword(String email, String address, String where) {
        members.countFailedLogin(email);
        afterWrongPassword(email, address, "wrong current password in " + where);
    }

    private void afterWrongPassword(String email, String address, String detail) {
        audit.recordAs(email, address, AuditAction.LOGIN_FAILED, email, detail, null);
        boolean locked = members.lockIfTooManyFailures(email, policy.maxFailedLogins(),
                clock.instant().plus(policy.lockoutDuration())) > 0;
        if (locked) {
            audit.recordAs(email, address, AuditAction.ACCOUNT_LOCKED, email,
                    policy.maxFailedLogins() + " failed logins; locked for " + policy.lockoutDuration().toMinutes()
                            + " minutes", null);
        }
    }

    private static String address(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : null;
    }
}
