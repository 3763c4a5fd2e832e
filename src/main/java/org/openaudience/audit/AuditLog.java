package org.openaudience.audit;

import java.time.Clock;
import java.util.stream.Stream;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.AccessRefused;
import org.openaudience.security.Capability;
import org.openaudience.security.ClientAddress;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Records security-relevant actions. {@link #record} joins the caller's transaction, so an entry exists exactly
 * when the change it describes was committed.
 */
@Service
public class AuditLog {

    private final AuditEntryRepository entries;
    private final AccessGuard guard;
    private final Clock clock;

    AuditLog(AuditEntryRepository entries, AccessGuard guard, Clock clock) {
        this.entries = entries;
        this.guard = guard;
        this.clock = clock;
    }

    /** Records an action of the signed-in member, from the current request's address. */
    @Transactional
    public void record(AuditAction action, String target, String detail, Long workspaceId) {
        recordAs(AccessGuard.signedInEmail(), ClientAddress.current(), action, target, detail, workspaceId);
    }

    /** Records an action whose actor and address are known otherwise, e.g. a login attempt. */
    @Transactional
    public void recordAs(String actor, String clientAddress, AuditAction action, String target, String detail,
                         Long workspaceId) {
        entries.insert(new AuditEntry(0, clock.instant(), actor, action, target, detail, clientAddress, workspaceId));
    }

    /** Refusals roll their own transaction back, so they are recorded in a new one once it has ended. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMPLETION, fallbackExecution = true)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    void onAccessRefused(AccessRefused refused) {
        recordAs(refused.actor(), ClientAddress.current(), AuditAction.ACCESS_REFUSED, null, refused.reason(), null);
    }

    /** The entries the reader may see ({@link AuditScope}), newest first. */
    @Transactional(readOnly = true)
    public Stream<AuditEntry> page(AuditFilter filter, int offset, int limit) {
        AuditScope scope = AuditScope.of(guard.require(Capability.READ_AUDIT_LOG));
        return entries.page(filter, scope, offset, limit);
    }

    @Transactional(readOnly = true)
    public int count(AuditFilter filter) {
        AuditScope scope = AuditScope.of(guard.require(Capability.READ_AUDIT_LOG));
        return entries.count(filter, scope);
    }
}
